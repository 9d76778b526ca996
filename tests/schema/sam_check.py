"""sam_check.py PREFIX SPEC TEMPLATE [SPEC TEMPLATE]...

Checks templates of `ctlc sam --prefix PREFIX` against their specs, read
here from the spec text (not through ctlc; `uses` with iam_check.py's
reader), independently of the emitter:
  - one AWS::Serverless::Function per controller of the spec, FunctionName
    PREFIX + name, Handler the name, Runtime provided.al2023;
  - every policy Resource (a function's Policies, a client's managed
    policy) is the ARN of a function of the template, or of PREFIX + a
    controller of an imported spec, built with Fn::Sub from the pseudo
    parameters; the policy grants exactly what `uses` lists;
  - every CTL_FUNCTION_ variable is named by libctl's rule (upper case,
    anything but letters and digits '_'; runtime/README.md) after a used
    controller and names that controller's deployed function;
  - EventInvokeConfig holds the spec's @retries and @max_event_age, or
    Lambda's defaults (2, 21600), and a DestinationConfig with SAM's Type
    and the ARN of each @on_failure/@on_success destination (a controller's
    deployed function, or the SQS queue, SNS topic, EventBridge bus, S3
    bucket named); the function's policy grants the send to each (the
    action AWS documents for its kind, on that ARN; S3 on its objects);
  - a controller with an @idempotent function has CTL_IDEMPOTENCY_TABLE
    naming the table (a Ref of the template's IdempotencyTable) and a grant
    of the four item calls on it, last in its policy; the template has the
    table, with Powertools' key (id, a string) and TTL attribute
    (expiration), exactly when such a controller exists;
  - logical IDs are letters and digits, every function and managed policy
    has an Output with its ARN, the table one with its name."""
import json
import re
import sys

from iam_check import idempotent_controllers, uses_of

ARN = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
TABLE_GRANT = {"Sid": "IdempotencyTable", "Effect": "Allow",
               "Action": ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
               "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:"
                                        "table/${IdempotencyTable}"}]}
TABLE = {"Type": "AWS::DynamoDB::Table",
         "Properties": {"AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                        "BillingMode": "PAY_PER_REQUEST",
                        "TimeToLiveSpecification": {"AttributeName": "expiration", "Enabled": True}}}


def controllers_of(spec_text):
    """{name: {"retries": N, "max_event_age": S}} for the controllers of the text."""
    text = re.sub(r"/\*.*?\*/", " ", spec_text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    out = {}
    for m in re.finditer(r"((?:@\w+\s*(?:\([^)]*\))?\s*)*)\bcontroller\s+(\w+)", text):
        annots = m.group(1)
        r = re.search(r"@retries\s*\(\s*(\d+)\s*\)", annots)
        a = re.search(r"@max_event_age\s*\(\s*(\d+)\s*\)", annots)
        out[m.group(2)] = {
            "retries": int(r.group(1)) if r else 2,
            "max_event_age": int(a.group(1)) if a else 21600,
            "on_failure": destination_of(annots, "on_failure"),
            "on_success": destination_of(annots, "on_success"),
        }
    return out


def destination_of(annots, which):
    """(kind, name) of @on_failure / @on_success in the annotations, or None:
    kind "controller" for a bare name, else sqs, sns, eventbridge or s3."""
    m = re.search(r"@" + which + r"\s*\(\s*(?:(\w+)\s*:\s*\"([^\"]*)\"|(\w+))\s*\)", annots)
    if not m:
        return None
    return ("controller", m.group(3)) if m.group(3) else (m.group(1), m.group(2))


PART = "arn:${AWS::Partition}:"
REGION_ACCOUNT = "${AWS::Region}:${AWS::AccountId}:"
SAM_TYPE = {"controller": "Lambda", "sqs": "SQS", "sns": "SNS", "eventbridge": "EventBridge", "s3": "S3Bucket"}
ACTION = {"controller": "lambda:InvokeFunction", "sqs": "sqs:SendMessage", "sns": "sns:Publish",
          "eventbridge": "events:PutEvents", "s3": "s3:PutObject"}


def destination_arn(prefix, kind, name):
    if kind == "controller":
        return ARN + prefix + name
    if kind == "eventbridge":
        return PART + "events:" + REGION_ACCOUNT + "event-bus/" + name
    if kind == "s3":
        return PART + "s3:::" + name
    return PART + kind + ":" + REGION_ACCOUNT + name


def route_variable(controller):
    return "CTL_FUNCTION_" + re.sub(r"[^A-Za-z0-9]", "_", controller).upper()


def check(prefix, spec, template_path, failures):
    def fail(msg):
        failures.append(f"{template_path}: {msg}")

    with open(spec, encoding="utf-8") as f:
        text = f.read()
    imports = bool(re.search(r"^\s*import\s", text, flags=re.M))
    uses = uses_of(text)
    controllers = controllers_of(text)
    idem = idempotent_controllers(text)
    with open(template_path, encoding="utf-8") as f:
        t = json.load(f)
    resources = t.get("Resources", {})
    outputs = t.get("Outputs", {})
    for rid in list(resources) + list(outputs):
        if not re.fullmatch(r"[A-Za-z0-9]+", rid):
            fail(f"logical ID {rid!r} is not alphanumeric")
    functions = {
        rid: r["Properties"] for rid, r in resources.items() if r["Type"] == "AWS::Serverless::Function"
    }
    deployed = {p["FunctionName"] for p in functions.values()}
    by_handler = {p["Handler"]: p for p in functions.values()}
    if set(by_handler) != set(controllers):
        fail(f"functions for {sorted(by_handler)}, controllers {sorted(controllers)}")

    def deployed_name(controller):
        return prefix + controller

    def known_function(name):
        # A function of this template, or an imported controller's (its own stack).
        return name in deployed or (imports and name.startswith(prefix))

    def check_destinations(who, st):
        """The statements after the one of `uses`: a grant per destination."""
        want = []
        for which, sid in (("on_failure", "OnFailureDestination"), ("on_success", "OnSuccessDestination")):
            d = controllers.get(who, {}).get(which)
            if d:
                arn = destination_arn(prefix, *d)
                res = [arn, arn + ":*"] if d[0] == "controller" else [arn + "/*"] if d[0] == "s3" else [arn]
                want.append({"Sid": sid, "Effect": "Allow", "Action": ACTION[d[0]],
                             "Resource": [{"Fn::Sub": r} for r in res]})
        if who in idem:
            want.append(TABLE_GRANT)
        if st != want:
            fail(f"{who}: destination grants {st}, want {want}")

    def check_policy(who, doc):
        st = doc["Statement"]
        if not uses.get(who):
            check_destinations(who, st)
            return
        check_destinations(who, st[1:])
        st = st[:1]
        if len(st) != 1 or st[0]["Effect"] != "Allow" or st[0]["Action"] != "lambda:InvokeFunction":
            fail(f"{who}: statement {st}")
            return
        names = []
        for res in st[0]["Resource"]:
            if set(res) != {"Fn::Sub"} or not res["Fn::Sub"].startswith(ARN):
                fail(f"{who}: Resource {res} is not an Fn::Sub function ARN")
                continue
            name = res["Fn::Sub"][len(ARN):]
            base = name[:-2] if name.endswith(":*") else name
            if not known_function(base):
                fail(f"{who}: Resource {name} is no function of the template")
            names.append(name)
        want = []
        for c in uses.get(who, []):
            want += [deployed_name(c), deployed_name(c) + ":*"]
        if names != want:
            fail(f"{who}: grants {names}, uses say {want}")

    for name, settings in controllers.items():
        p = by_handler.get(name)
        if p is None:
            continue
        if p["FunctionName"] != deployed_name(name) or p["Runtime"] != "provided.al2023":
            fail(f"{name}: FunctionName {p['FunctionName']}, Runtime {p['Runtime']}")
        eic = p.get("EventInvokeConfig", {})
        got = (eic.get("MaximumRetryAttempts"), eic.get("MaximumEventAgeInSeconds"))
        if got != (settings["retries"], settings["max_event_age"]):
            fail(f"{name}: EventInvokeConfig {got}, spec {settings}")
        want_dc = {}
        for which, key in (("on_success", "OnSuccess"), ("on_failure", "OnFailure")):
            d = settings[which]
            if d:
                want_dc[key] = {"Type": SAM_TYPE[d[0]], "Destination": {"Fn::Sub": destination_arn(prefix, *d)}}
                if d[0] == "controller" and not known_function(prefix + d[1]):
                    fail(f"{name}: destination {d[1]} is no function of the template")
        if eic.get("DestinationConfig", {}) != want_dc:
            fail(f"{name}: DestinationConfig {eic.get('DestinationConfig')}, want {want_dc}")
        env = p.get("Environment", {}).get("Variables", {})
        want_env = {route_variable(c): deployed_name(c) for c in uses.get(name, [])}
        if name in idem:
            want_env["CTL_IDEMPOTENCY_TABLE"] = {"Ref": "IdempotencyTable"}
        if env != want_env:
            fail(f"{name}: variables {env}, want {want_env}")
        for var, value in env.items():
            if var != "CTL_IDEMPOTENCY_TABLE" and not known_function(value):
                fail(f"{name}: {var}={value} names no function of the template")
        policies = p.get("Policies", [])
        if uses.get(name) or settings["on_failure"] or settings["on_success"] or name in idem:
            if len(policies) != 1:
                fail(f"{name}: {len(policies)} policies")
            else:
                check_policy(name, policies[0])
        elif policies:
            fail(f"{name}: uses nothing, has no destination and no @idempotent function, has policies {policies}")
    if idem and resources.get("IdempotencyTable") != TABLE:
        fail(f"IdempotencyTable is {resources.get('IdempotencyTable')}, want {TABLE}")
    if not idem and "IdempotencyTable" in resources:
        fail("an IdempotencyTable, but no @idempotent function")
    clients = {
        re.match(r"ctl client (\w+):", r["Properties"]["Description"]).group(1): r["Properties"]["PolicyDocument"]
        for r in resources.values()
        if r["Type"] == "AWS::IAM::ManagedPolicy"
    }
    want_clients = {k for k in uses if k not in controllers}
    if set(clients) != want_clients:
        fail(f"managed policies for {sorted(clients)}, clients that use {sorted(want_clients)}")
    for k, doc in clients.items():
        check_policy(k, doc)
    arns = [o["Value"] for o in outputs.values()]
    for rid, r in resources.items():
        # A function's ARN, a managed policy's Ref (its ARN), the table's Ref (its name).
        ref = {"Fn::GetAtt": [rid, "Arn"]} if r["Type"] == "AWS::Serverless::Function" else {"Ref": rid}
        if ref not in arns:
            fail(f"no Output has the ARN of {rid}")


def main():
    prefix, pairs = sys.argv[1], sys.argv[2:]
    failures = []
    for spec, template in zip(pairs[::2], pairs[1::2]):
        check(prefix, spec, template, failures)
    for f in failures:
        print("FAIL", f)
    print(f"{len(pairs) // 2} templates checked, {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
