"""iam_check.py SPEC POLICIES PARTITION REGION ACCOUNT [TABLE]

Checks the output of `ctlc iam` against the spec's `uses` lists and
destinations, read here from the spec's text (not through ctlc): one policy
per client or controller that uses something or has a destination, each
allowing lambda:InvokeFunction on exactly the controllers it uses (the
function ARN and its qualified form NAME:*), then, for @on_failure and
@on_success, the one action on the one destination (lambda:InvokeFunction
on a controller, sqs:SendMessage, sns:Publish, events:PutEvents,
s3:PutObject on the bucket's objects), then, for a controller with an
@idempotent function, the four item calls on the idempotency table TABLE
(default IdempotencyTable), and nothing else. POLICIES is the JSON object
ctlc prints, or a folder of NAME.policy.json files (ctlc iam -o DIR)."""
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


def destinations_of(spec_text):
    """{controller: [(sid, kind, name)]} from the annotations before each controller."""
    text = re.sub(r"/\*.*?\*/", " ", spec_text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    out = {}
    for m in re.finditer(r"((?:@\w+(?:\([^)]*\))?\s*)*)controller\s+(\w+)", text):
        found = []
        for which in ("failure", "success"):
            a = re.search(r"@on_%s\(\s*(?:(\w+)\s*:\s*\"([^\"]*)\"|(\w+))\s*\)" % which, m.group(1))
            if a:
                sid = "On%sDestination" % which.capitalize()
                found.append((sid, a.group(1), a.group(2)) if a.group(1) else (sid, "controller", a.group(3)))
        if found:
            out[m.group(2)] = found
    return out


def idempotent_controllers(spec_text):
    """The controllers with an @idempotent function: an @idempotent inside
    the controller's braces."""
    text = re.sub(r"/\*.*?\*/", " ", spec_text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    out = set()
    for m in re.finditer(r"\bcontroller\s+(\w+)[^{;]*\{", text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        if re.search(r"@idempotent\b", text[m.end():i]):
            out.add(m.group(1))
    return out


def table_statement(partition, region, account, table):
    return {"Sid": "IdempotencyTable", "Effect": "Allow",
            "Action": ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            "Resource": [f"arn:{partition}:dynamodb:{region}:{account}:table/{table}"]}


def destination_statement(sid, kind, name, partition, region, account):
    if kind == "controller":
        arn = f"arn:{partition}:lambda:{region}:{account}:function:{name}"
        return {"Sid": sid, "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": [arn, arn + ":*"]}
    action, resource = {
        "sqs": ("sqs:SendMessage", f"arn:{partition}:sqs:{region}:{account}:{name}"),
        "sns": ("sns:Publish", f"arn:{partition}:sns:{region}:{account}:{name}"),
        "eventbridge": ("events:PutEvents", f"arn:{partition}:events:{region}:{account}:event-bus/{name}"),
        "s3": ("s3:PutObject", f"arn:{partition}:s3:::{name}/*"),
    }[kind]
    return {"Sid": sid, "Effect": "Allow", "Action": action, "Resource": [resource]}


def main():
    spec, policies, partition, region, account = sys.argv[1:6]
    table = sys.argv[6] if len(sys.argv) > 6 else "IdempotencyTable"
    with open(spec, encoding="utf-8") as f:
        text = f.read()
    want = uses_of(text)
    dests = destinations_of(text)
    idem = idempotent_controllers(text)
    for name in list(dests) + sorted(idem):
        want.setdefault(name, [])
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
        expect_dest = [destination_statement(*d, partition, region, account) for d in dests.get(name, [])]
        if name in idem:
            expect_dest.append(table_statement(partition, region, account, table))
        if statements[len(statements) - len(expect_dest):] != expect_dest:
            failures.append(f"{name}: destination and table statements {statements} end not in {expect_dest}")
        statements = statements[: len(statements) - len(expect_dest)]
        if not used:
            if statements:
                failures.append(f"{name}: {len(statements)} statements besides its destinations and table")
            continue
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
