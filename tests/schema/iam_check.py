"""iam_check.py SPEC POLICIES PARTITION REGION ACCOUNT

Checks the output of `ctlc iam` against the spec's `uses` lists, read here
from the spec's text (not through ctlc): one policy per client or controller
that uses something, each allowing lambda:InvokeFunction on exactly the
controllers it uses (the function ARN and its qualified form NAME:*), and
nothing else. POLICIES is the JSON object ctlc prints, or a folder of
NAME.policy.json files (ctlc iam -o DIR)."""
import json
import os
import re
import sys


def uses_of(spec_text):
    # Comments out first: a `uses` in a comment is not one.
    text = re.sub(r"/\*.*?\*/", " ", spec_text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    out = {}
    for m in re.finditer(r"\b(client|controller)\s+(\w+)\s+uses\s+([^;{]+)", text):
        targets = [t.split(".")[0].strip() for t in m.group(3).split(",")]
        ordered = []
        for t in targets:
            if t not in ordered:
                ordered.append(t)
        out[m.group(2)] = ordered
    return out


def main():
    spec, policies, partition, region, account = sys.argv[1:6]
    with open(spec, encoding="utf-8") as f:
        want = uses_of(f.read())
    if os.path.isdir(policies):
        got = {}
        for name in sorted(os.listdir(policies)):
            assert name.endswith(".policy.json"), name
            with open(os.path.join(policies, name), encoding="utf-8") as f:
                got[name[: -len(".policy.json")]] = json.load(f)
    else:
        with open(policies, encoding="utf-8") as f:
            got = json.load(f)
    failures = []
    if set(got) != set(want):
        failures.append(f"principals {sorted(got)} != {sorted(want)}")
    for name, used in want.items():
        policy = got.get(name)
        if policy is None:
            continue
        if policy.get("Version") != "2012-10-17":
            failures.append(f"{name}: Version {policy.get('Version')!r}")
        statements = policy.get("Statement", [])
        if len(statements) != 1:
            failures.append(f"{name}: {len(statements)} statements")
            continue
        st = statements[0]
        if st.get("Effect") != "Allow" or st.get("Action") != "lambda:InvokeFunction":
            failures.append(f"{name}: Effect/Action {st.get('Effect')!r} {st.get('Action')!r}")
        expect = []
        for c in used:
            arn = f"arn:{partition}:lambda:{region}:{account}:function:{c}"
            expect += [arn, arn + ":*"]
        if st.get("Resource") != expect:
            failures.append(f"{name}: Resource {st.get('Resource')} != {expect}")
        extra = set(st) - {"Sid", "Effect", "Action", "Resource"}
        if extra:
            failures.append(f"{name}: unexpected keys {sorted(extra)}")
    for f in failures:
        print("FAIL", f)
    print(f"{len(want)} principals checked, {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
