#!/usr/bin/env python3
"""comments.py BEFORE AFTER: every comment of BEFORE is in AFTER, in the
same order, and there are no others: `ctlc fmt` may move a comment between
lines but never drop, add, split or reorder one. Comments are compared less
trailing blanks and CRs on each line (fmt removes those)."""
import sys


def comments(path):
    text = open(path, encoding='utf-8-sig').read().replace('\r', '')
    found, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':                       # a string literal: skip it whole
            i += 1
            while i < n and text[i] not in '"\n':
                i += 2 if text[i] == '\\' else 1
            i += 1
        elif text.startswith('//', i):
            end = text.find('\n', i)
            end = n if end < 0 else end
            found.append(text[i:end])
            i = end
        elif text.startswith('/*', i):
            end = text.find('*/', i + 2)
            end = n if end < 0 else end + 2
            found.append(text[i:end])
            i = end
        else:
            i += 1
    return ['\n'.join(line.rstrip(' \t') for line in c.split('\n')) for c in found]


before, after = comments(sys.argv[1]), comments(sys.argv[2])
if before != after:
    print(f'FAIL: comments differ between {sys.argv[1]} ({len(before)}) and {sys.argv[2]} ({len(after)})')
    for k, (b, a) in enumerate(zip(before, after)):
        if b != a:
            print(f'  #{k + 1}: {b!r} became {a!r}')
            break
    else:
        print('  one has more:', (before[len(after):] or after[len(before):])[:3])
    sys.exit(1)
