"""eic_test.py: Lambda's asynchronous-invocation configuration API and
discovery against `ctl_serve_test serve` (servetest.ctl: servetest with no
settings, retry0/retry1/retry2 with @retries 0..2 whose handler records a
tag and fails, aged with @max_event_age(60)).

  boto3    Debian's boto3: put/update/get/delete/list-event-invoke-config,
           the exact fields returned, range errors (client-side validation
           off, so the server's answer is what is checked), an unknown
           function, a Get with no config, Qualifier forms, DestinationConfig
           (Put replaces, Update merges per side, Delete: the spec's; bad
           ARNs refused, naming why); ListFunctions (paged) and GetFunction.
  awscli   the same operations through /usr/bin/aws, and list-functions.
  runs     Put MaximumRetryAttempts 0 on retry2 (spec @retries(2)): its
           failing handler runs once; Update back to 2: three times; Delete:
           the spec's again; each failed attempt has its access-log line.
  dests    OnFailure put to an SQS queue: the record in sqs-NAME.jsonl, no
           dead letter; to the records controller: its @records handler
           runs; OnSuccess to SNS; Delete: the dead letters again.
  restart  a config (destinations too) survives SIGKILL and a start on the same journal, and
           still governs the events; a damaged file stops the start with
           the file and line named."""
import collections
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def served_controllers():
    """The controllers of servetest.ctl, in the spec's order: what serve
    serves, and so what ListFunctions must list."""
    import re
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "servetest.ctl")) as f:
        return re.findall(r"^\s*(?:@\w+(?:\([^)]*\))?\s*)*controller\s+(\w+)", f.read(), re.M)
from servelib import check, fail, invoke_raw, lines, Server, wait_for, workdir  # noqa: E402

TESTBIN = os.environ["SERVE_TEST_BIN"]
CREDS = {"AWS_ACCESS_KEY_ID": "AKIDSERVETEST", "AWS_SECRET_ACCESS_KEY": "serve-test-secret",
         "AWS_DEFAULT_REGION": "us-east-1"}
os.environ.update(CREDS)
for k in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA", "AWS_REGION"):
    os.environ.pop(k, None)
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
NO_DEST = {"OnSuccess": {}, "OnFailure": {}}


def client(url, validate=True):
    import boto3
    from botocore.config import Config
    cfg = Config(retries={"max_attempts": 1}, parameter_validation=validate)
    return boto3.client("lambda", endpoint_url=url, config=cfg)


def error_of(fn, **kw):
    from botocore.exceptions import ClientError
    try:
        fn(**kw)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], \
            e.response["Error"].get("Message", "")
    fail("%s(%r) did not fail" % (fn.__name__, kw))


def strip(resp):
    resp = dict(resp)
    resp.pop("ResponseMetadata", None)
    return resp



# ---- boto3 ------------------------------------------------------------------------------
def case_boto3():
    wd = workdir("eic_boto3")
    srv = Server(TESTBIN, wd, []).start()
    lam, raw = client(srv.url), client(srv.url, validate=False)
    t0 = time.time()

    # No config and no spec settings: ResourceNotFoundException.
    code, status, msg = error_of(lam.get_function_event_invoke_config, FunctionName="servetest")
    check((code, status) == ("ResourceNotFoundException", 404) and "servetest:$LATEST" in msg,
          "Get with no config: %r" % ((code, status, msg),))
    check(lam.list_function_event_invoke_configs(FunctionName="servetest")["FunctionEventInvokeConfigs"] == [],
          "List with no config is empty")
    # The spec's settings are the function's config (what `ctlc sam` deploys).
    got = strip(lam.get_function_event_invoke_config(FunctionName="aged"))
    check(got.pop("LastModified").timestamp() <= time.time() + 1, "LastModified is a time")
    check(got == {"FunctionArn": ARN + "aged:$LATEST", "MaximumEventAgeInSeconds": 60, "DestinationConfig": NO_DEST},
          "the spec's config of aged: %r" % got)
    # ... and its destinations, as ARNs in serve's region and the unknown account.
    got = strip(lam.get_function_event_invoke_config(FunctionName="dest_file"))
    check(got.get("MaximumRetryAttempts") == 0 and got["DestinationConfig"] == {
        "OnSuccess": {}, "OnFailure": {"Destination": "arn:aws:sqs:us-east-1:000000000000:serve-failures"}},
        "dest_file's @on_failure(sqs: ...): %r" % got)
    got = strip(lam.get_function_event_invoke_config(FunctionName="dest_ok"))
    check(got["DestinationConfig"] == {"OnSuccess": {"Destination": ARN + "records"}, "OnFailure": {}}
          and "MaximumRetryAttempts" not in got, "dest_ok's @on_success(records): %r" % got)

    # Put: exactly the fields given, a number LastModified (botocore makes it a datetime).
    got = strip(lam.put_function_event_invoke_config(FunctionName="servetest", MaximumRetryAttempts=1,
                                                     MaximumEventAgeInSeconds=3600))
    lm = got.pop("LastModified")
    check(t0 - 1 <= lm.timestamp() <= time.time() + 1, "Put's LastModified %r is now" % lm)
    check(got == {"FunctionArn": ARN + "servetest:$LATEST", "MaximumRetryAttempts": 1,
                  "MaximumEventAgeInSeconds": 3600, "DestinationConfig": NO_DEST}, "Put: %r" % got)
    got = strip(lam.get_function_event_invoke_config(FunctionName="servetest"))
    check(got.pop("LastModified") == lm and got["MaximumRetryAttempts"] == 1, "Get after Put: %r" % got)
    # Update merges: the age stays.
    got = strip(lam.update_function_event_invoke_config(FunctionName="servetest", MaximumRetryAttempts=0))
    check(got["MaximumRetryAttempts"] == 0 and got["MaximumEventAgeInSeconds"] == 3600, "Update merges: %r" % got)
    # Put replaces: the age left out goes back to the default (absent).
    got = strip(lam.put_function_event_invoke_config(FunctionName="servetest", MaximumRetryAttempts=2))
    check("MaximumEventAgeInSeconds" not in got and got["MaximumRetryAttempts"] == 2, "Put replaces: %r" % got)
    listed = lam.list_function_event_invoke_configs(FunctionName="servetest", MaxItems=5)
    check(len(listed["FunctionEventInvokeConfigs"]) == 1 and "NextMarker" not in listed
          and listed["FunctionEventInvokeConfigs"][0]["MaximumRetryAttempts"] == 2, "List: %r" % listed)

    # The server's range checks (botocore's own are off for these).
    for kw, field in [({"MaximumRetryAttempts": 3}, "maximumRetryAttempts"),
                      ({"MaximumRetryAttempts": -1}, "maximumRetryAttempts"),
                      ({"MaximumEventAgeInSeconds": 59}, "maximumEventAgeInSeconds"),
                      ({"MaximumEventAgeInSeconds": 21601}, "maximumEventAgeInSeconds")]:
        for op in (raw.put_function_event_invoke_config, raw.update_function_event_invoke_config):
            code, status, msg = error_of(op, FunctionName="servetest", **kw)
            check((code, status) == ("InvalidParameterValueException", 400) and field in msg,
                  "%s %r: %r" % (op.__name__, kw, (code, status, msg)))
    for kw in ({"MaximumRetryAttempts": 0}, {"MaximumRetryAttempts": 2}, {"MaximumEventAgeInSeconds": 60},
               {"MaximumEventAgeInSeconds": 21600}):
        check(strip(lam.put_function_event_invoke_config(FunctionName="retry1", **kw)).get(list(kw)[0])
              == list(kw.values())[0], "the bound %r is taken" % kw)
    code, status, _ = error_of(raw.list_function_event_invoke_configs, FunctionName="servetest", MaxItems=51)
    check((code, status) == ("InvalidParameterValueException", 400), "MaxItems 51: %r" % code)
    code, status, _ = error_of(raw.list_function_event_invoke_configs, FunctionName="servetest", Marker="x")
    check((code, status) == ("InvalidParameterValueException", 400), "an unknown Marker: %r" % code)

    # An unknown function, for every operation.
    for op, kw in [(lam.put_function_event_invoke_config, {"MaximumRetryAttempts": 0}),
                   (lam.update_function_event_invoke_config, {"MaximumRetryAttempts": 0}),
                   (lam.get_function_event_invoke_config, {}), (lam.delete_function_event_invoke_config, {}),
                   (lam.list_function_event_invoke_configs, {}), (lam.get_function, {})]:
        code, status, msg = error_of(op, FunctionName="nosuch", **kw)
        check((code, status) == ("ResourceNotFoundException", 404) and "function:nosuch" in msg,
              "%s of an unknown function: %r" % (op.__name__, (code, status, msg)))

    # Qualifier forms, as Invoke takes them: every one names the one build.
    lam.put_function_event_invoke_config(FunctionName="retry0", Qualifier="$LATEST", MaximumRetryAttempts=1)
    got = lam.get_function_event_invoke_config(FunctionName="retry0")
    check(got["MaximumRetryAttempts"] == 1 and got["FunctionArn"] == ARN + "retry0:$LATEST", "$LATEST: %r" % got)
    got = lam.get_function_event_invoke_config(FunctionName="retry0", Qualifier="live")
    check(got["MaximumRetryAttempts"] == 1, "an alias names the same config: %r" % got)
    got = lam.get_function_event_invoke_config(FunctionName=ARN + "retry0")
    check(got["MaximumRetryAttempts"] == 1, "an ARN: %r" % got)
    got = lam.get_function_event_invoke_config(FunctionName="123456789012:function:retry0")
    check(got["FunctionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:retry0:$LATEST",
          "a partial ARN keeps its account: %r" % got["FunctionArn"])
    code, status, _ = error_of(lam.get_function_event_invoke_config, FunctionName="retry0:live", Qualifier="prod")
    check((code, status) == ("InvalidParameterValueException", 400), "qualifiers that differ: %r" % code)
    # The spec's settings are not deletable; a config put is, and the spec's come back.
    lam.delete_function_event_invoke_config(FunctionName="retry0")
    got = lam.get_function_event_invoke_config(FunctionName="retry0")
    check(got["MaximumRetryAttempts"] == 0, "after Delete: the spec's @retries(0): %r" % got)
    code, status, msg = error_of(lam.delete_function_event_invoke_config, FunctionName="retry0")
    check((code, status) == ("ResourceNotFoundException", 404) and "spec" in msg, "Delete of the spec's: %r" % msg)
    lam.delete_function_event_invoke_config(FunctionName="servetest")
    code, _, _ = error_of(lam.get_function_event_invoke_config, FunctionName="servetest")
    check(code == "ResourceNotFoundException", "Get after Delete: %r" % code)
    code, status, _ = error_of(lam.update_function_event_invoke_config, FunctionName="servetest",
                               MaximumRetryAttempts=1)
    check((code, status) == ("ResourceNotFoundException", 404), "Update with no config to merge into: %r" % code)

    # DestinationConfig: empty is taken; destinations are set by ARN.
    got = lam.put_function_event_invoke_config(FunctionName="servetest", MaximumRetryAttempts=1,
                                               DestinationConfig={"OnSuccess": {}, "OnFailure": {}})
    check(got["DestinationConfig"] == NO_DEST, "an empty DestinationConfig: %r" % got)
    sqs, sns = "arn:aws:sqs:us-east-1:000000000000:q-1", "arn:aws:sns:eu-west-1:123456789012:topic_A"
    bus, s3 = "arn:aws:events:us-east-1:000000000000:event-bus/my.bus", "arn:aws:s3:::my-bucket.logs"
    got = strip(lam.put_function_event_invoke_config(FunctionName="servetest", MaximumRetryAttempts=1,
                                                     DestinationConfig={"OnSuccess": {"Destination": sns},
                                                                        "OnFailure": {"Destination": s3}}))
    check(got["DestinationConfig"] == {"OnSuccess": {"Destination": "arn:aws:sns:us-east-1:000000000000:topic_A"},
                                       "OnFailure": {"Destination": s3}}, "Put sns and s3: %r" % got)
    # Update merges per side: OnFailure replaced, OnSuccess kept.
    got = strip(lam.update_function_event_invoke_config(FunctionName="servetest",
                                                        DestinationConfig={"OnFailure": {"Destination": bus}}))
    check(got["DestinationConfig"]["OnFailure"] == {"Destination": bus}
          and got["DestinationConfig"]["OnSuccess"]["Destination"].endswith(":topic_A")
          and got["MaximumRetryAttempts"] == 1, "Update merges per side: %r" % got)
    got = strip(lam.update_function_event_invoke_config(FunctionName="servetest",
                                                        DestinationConfig={"OnSuccess": {"Destination": ARN + "records"}}))
    check(got["DestinationConfig"] == {"OnSuccess": {"Destination": ARN + "records"},
                                       "OnFailure": {"Destination": bus}}, "a controller with @records: %r" % got)
    got = strip(lam.get_function_event_invoke_config(FunctionName="servetest"))
    check(got["DestinationConfig"] == {"OnSuccess": {"Destination": ARN + "records"},
                                       "OnFailure": {"Destination": bus}}, "Get shows them: %r" % got)
    # Put replaces: a side left out is none, not the spec's (dest_file's spec says sqs serve-failures).
    got = strip(lam.put_function_event_invoke_config(FunctionName="dest_file",
                                                     DestinationConfig={"OnSuccess": {"Destination": sqs}}))
    check(got["DestinationConfig"] == {"OnSuccess": {"Destination": sqs}, "OnFailure": {}}
          and "MaximumRetryAttempts" not in got, "Put replaces the spec's destinations: %r" % got)
    lam.delete_function_event_invoke_config(FunctionName="dest_file")
    got = strip(lam.get_function_event_invoke_config(FunctionName="dest_file"))
    check(got["DestinationConfig"] == {"OnSuccess": {}, "OnFailure": {
        "Destination": "arn:aws:sqs:us-east-1:000000000000:serve-failures"}}, "Delete: the spec's again: %r" % got)
    # Refused, naming why; nothing changes.
    for dc, why in [({"OnSuccess": {"Destination": s3}}, "on-failure"),
                    ({"OnFailure": {"Destination": ARN + "nosuch"}}, "no function this server serves"),
                    ({"OnFailure": {"Destination": ARN + "retry1"}}, "no @records function"),
                    ({"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:000000000000:bad.queue"}},
                     "SQS queue name"),
                    ({"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:000000000000:" + "q" * 81}},
                     "SQS queue name"),
                    ({"OnFailure": {"Destination": "arn:aws:s3:::Upper"}}, "S3 bucket name"),
                    ({"OnFailure": {"Destination": "arn:aws:dynamodb:us-east-1:000000000000:table/t"}},
                     "dynamodb"),
                    ({"OnFailure": {"Destination": "arn:aws:events:us-east-1:000000000000:rule/r"}}, "event-bus/"),
                    ({"OnFailure": {"Destination": "not-an-arn"}}, "not an ARN"),
                    ({"OnFailure": {"Destination": "arn:aws:sqs:::q"}}, "no region")]:
        for op in (raw.put_function_event_invoke_config, raw.update_function_event_invoke_config):
            code, status, msg = error_of(op, FunctionName="servetest", DestinationConfig=dc)
            check((code, status) == ("InvalidParameterValueException", 400) and why in msg,
                  "%s %r: %r" % (op.__name__, dc, (code, status, msg)))
    got = strip(lam.get_function_event_invoke_config(FunctionName="servetest"))
    check(got["MaximumRetryAttempts"] == 1 and got["DestinationConfig"]["OnFailure"] == {"Destination": bus},
          "the refused Puts changed nothing: %r" % got)
    lam.put_function_event_invoke_config(FunctionName="servetest", MaximumRetryAttempts=1)

    # ListFunctions (paged, and the paginator) and GetFunction.
    names = served_controllers()
    check(names[:5] == ["servetest", "retry0", "retry1", "retry2", "aged"], "servetest.ctl's controllers: %r" % names)
    fl = lam.list_functions()["Functions"]
    check([f["FunctionName"] for f in fl] == names, "ListFunctions: %r" % [f["FunctionName"] for f in fl])
    f = fl[3]
    check(f["FunctionArn"] == ARN + "retry2" and f["Runtime"] == "provided.al2023" and f["Handler"] == "retry2"
          and f["Version"] == "$LATEST" and f["Timeout"] == 3 and f["State"] == "Active"
          and f["PackageType"] == "Zip", "a FunctionConfiguration: %r" % f)
    page = lam.list_functions(MaxItems=2)
    check([f["FunctionName"] for f in page["Functions"]] == names[:2] and page.get("NextMarker"), "page 1: %r" % page)
    page = lam.list_functions(MaxItems=2, Marker=page["NextMarker"])
    check([f["FunctionName"] for f in page["Functions"]] == names[2:4], "page 2: %r" % page)
    paged = [f["FunctionName"] for p in lam.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 2})
             for f in p["Functions"]]
    check(paged == names, "the paginator: %r" % paged)
    got = lam.get_function(FunctionName="aged")
    check(got["Configuration"]["FunctionName"] == "aged" and got["Configuration"]["FunctionArn"] == ARN + "aged",
          "GetFunction: %r" % got)
    check(lam.get_function(FunctionName="aged", Qualifier="$LATEST")["Configuration"]["Version"] == "$LATEST",
          "GetFunction $LATEST")
    # Invoke still works beside the new routes.
    check(lam.invoke(FunctionName="servetest", Payload=b'{"function":"noop"}')["StatusCode"] == 200, "Invoke")
    log = srv.access_log()
    check(any(e["type"] == "PutFunctionEventInvokeConfig" and e["status"] == 200 for e in log)
          and any(e["type"] == "ListFunctions" for e in log), "the operations are in the access log")
    check(srv.stop() == 0, "exit 0")


# ---- the AWS CLI ------------------------------------------------------------------------
def case_awscli():
    aws = "/usr/bin/aws"
    if not os.path.exists(aws):
        fail("Debian's awscli (/usr/bin/aws) is needed")
    wd = workdir("eic_awscli")
    env = dict(os.environ)
    env.update({"AWS_PAGER": "", "AWS_CONFIG_FILE": os.path.join(wd, "no-config"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(wd, "no-credentials")})
    srv = Server(TESTBIN, wd, []).start()

    def run(*args):
        p = subprocess.run([aws, "lambda"] + list(args) + ["--endpoint-url", srv.url], capture_output=True,
                           text=True, env=env, timeout=120)
        return p.returncode, json.loads(p.stdout) if p.returncode == 0 and p.stdout.strip() else None, p.stderr

    rc, out, err = run("put-function-event-invoke-config", "--function-name", "retry2",
                       "--maximum-retry-attempts", "0", "--maximum-event-age-in-seconds", "3600")
    check(rc == 0, "put: %s" % err)
    lm = out.pop("LastModified")
    # The wire holds epoch seconds (the model's timestamp over rest-json);
    # the CLI prints the time it parsed in ISO 8601.
    import datetime
    check(abs(datetime.datetime.fromisoformat(lm).timestamp() - time.time()) < 60, "LastModified is now: %r" % lm)
    check(out == {"FunctionArn": ARN + "retry2:$LATEST", "MaximumRetryAttempts": 0,
                  "MaximumEventAgeInSeconds": 3600, "DestinationConfig": NO_DEST}, "put: %r" % out)
    rc, out, err = run("update-function-event-invoke-config", "--function-name", "retry2",
                       "--maximum-event-age-in-seconds", "7200")
    check(rc == 0 and out["MaximumEventAgeInSeconds"] == 7200 and out["MaximumRetryAttempts"] == 0,
          "update: %r %s" % (out, err))
    rc, out, err = run("get-function-event-invoke-config", "--function-name", "retry2", "--qualifier", "$LATEST")
    check(rc == 0 and out["MaximumEventAgeInSeconds"] == 7200, "get: %r %s" % (out, err))
    rc, out, err = run("list-function-event-invoke-configs", "--function-name", "retry2")
    check(rc == 0 and [c["MaximumRetryAttempts"] for c in out["FunctionEventInvokeConfigs"]] == [0],
          "list: %r %s" % (out, err))
    rc, out, err = run("put-function-event-invoke-config", "--function-name", "retry2",
                       "--maximum-retry-attempts", "3")
    check(rc != 0 and "InvalidParameterValueException" in err and "maximumRetryAttempts" in err, "3: %s" % err)
    rc, out, err = run("put-function-event-invoke-config", "--function-name", "retry2",
                       "--maximum-event-age-in-seconds", "21601")
    check(rc != 0 and "InvalidParameterValueException" in err and "21600" in err, "21601 s: %s" % err)
    # (botocore checks a minimum itself: 59 s never reaches the server from the CLI.)
    qarn = "arn:aws:sqs:us-east-1:000000000000:q"
    rc, out, err = run("put-function-event-invoke-config", "--function-name", "retry0", "--destination-config",
                       json.dumps({"OnFailure": {"Destination": qarn}}))
    check(rc == 0 and out["DestinationConfig"] == {"OnSuccess": {}, "OnFailure": {"Destination": qarn}},
          "put --destination-config: %r %s" % (out, err))
    rc, out, err = run("update-function-event-invoke-config", "--function-name", "retry0", "--destination-config",
                       json.dumps({"OnSuccess": {"Destination": ARN + "records"}}))
    check(rc == 0 and out["DestinationConfig"] == {"OnSuccess": {"Destination": ARN + "records"},
                                                   "OnFailure": {"Destination": qarn}},
          "update --destination-config: %r %s" % (out, err))
    rc, out, err = run("get-function-event-invoke-config", "--function-name", "retry0")
    check(rc == 0 and out["DestinationConfig"]["OnFailure"] == {"Destination": qarn}, "get: %r %s" % (out, err))
    rc, out, err = run("put-function-event-invoke-config", "--function-name", "retry0", "--destination-config",
                       json.dumps({"OnSuccess": {"Destination": "arn:aws:s3:::bucket"}}))
    check(rc != 0 and "InvalidParameterValueException" in err and "on-failure" in err, "s3 on success: %s" % err)
    rc, out, err = run("delete-function-event-invoke-config", "--function-name", "retry0")
    check(rc == 0, "delete: %s" % err)
    rc, out, err = run("get-function-event-invoke-config", "--function-name", "retry0")
    check(rc == 0 and out["DestinationConfig"] == NO_DEST, "the spec's again: %r %s" % (out, err))
    rc, out, err = run("get-function-event-invoke-config", "--function-name", "nosuch")
    check(rc != 0 and "ResourceNotFoundException" in err, "unknown: %s" % err)
    rc, out, err = run("delete-function-event-invoke-config", "--function-name", "retry2")
    check(rc == 0, "delete: %s" % err)
    rc, out, err = run("get-function-event-invoke-config", "--function-name", "retry2")
    check(rc == 0 and out["MaximumRetryAttempts"] == 2 and "MaximumEventAgeInSeconds" not in out,
          "after delete, the spec's @retries(2): %r %s" % (out, err))
    rc, out, err = run("get-function-event-invoke-config", "--function-name", "servetest")
    check(rc != 0 and "ResourceNotFoundException" in err, "no config: %s" % err)
    rc, out, err = run("list-functions")
    check(rc == 0 and [f["FunctionName"] for f in out["Functions"]] == served_controllers(),
          "list-functions: %r %s" % (out, err))
    rc, out, err = run("get-function", "--function-name", "retry1")
    check(rc == 0 and out["Configuration"]["Handler"] == "retry1", "get-function: %r %s" % (out, err))
    rc, out, err = run("get-function", "--function-name", "nosuch")
    check(rc != 0 and "ResourceNotFoundException" in err, "get-function unknown: %s" % err)
    check(srv.stop() == 0, "exit 0")


# ---- the config governs the events --------------------------------------------------------
def fail_event(port, function, tag):
    body = json.dumps({"function": "fail", "tag": tag}).encode()
    check(invoke_raw(port, function, body, "Event")[0] == 202, "event %s of %s" % (tag, function))


def case_runs():
    wd = workdir("eic_runs")
    rec = os.path.join(wd, "record.txt")
    srv = Server(TESTBIN, wd, ["--retry-delays", "10,10"], env={"SERVETEST_OUT": rec}).start()
    lam = client(srv.url)
    # retry2's spec says @retries(2); the API says 0: one run.
    lam.put_function_event_invoke_config(FunctionName="retry2", MaximumRetryAttempts=0)
    fail_event(srv.port, "retry2", "once")
    wait_for(lambda: len(srv.dead_letters()) == 1, 30, "the dead letter of 'once'")
    # Back to 2 by Update: three runs.
    lam.update_function_event_invoke_config(FunctionName="retry2", MaximumRetryAttempts=2)
    fail_event(srv.port, "retry2", "thrice")
    wait_for(lambda: len(srv.dead_letters()) == 2, 30, "the dead letter of 'thrice'")
    # retry0's spec says 0; the API says 1: two runs; Delete: the spec's 0 again, one run.
    lam.put_function_event_invoke_config(FunctionName="retry0", MaximumRetryAttempts=1)
    fail_event(srv.port, "retry0", "twice")
    wait_for(lambda: len(srv.dead_letters()) == 3, 30, "the dead letter of 'twice'")
    lam.delete_function_event_invoke_config(FunctionName="retry0")
    fail_event(srv.port, "retry0", "spec")
    wait_for(lambda: len(srv.dead_letters()) == 4, 30, "the dead letter of 'spec'")
    runs = collections.Counter(lines(rec))
    check(runs == {"once": 1, "thrice": 3, "twice": 2, "spec": 1}, "handler runs: %r" % runs)
    dead = {d["event"]["tag"]: d for d in srv.dead_letters()}
    check(all(dead[t]["attempts"] == n and dead[t]["condition"] == "RetriesExhausted" for t, n in runs.items()),
          "dead letters: %r" % dead)
    check(srv.stop() == 0, "exit 0")
    # Every failed attempt has its line: request id, controller, attempt, errorType, then.
    attempts = [e for e in srv.access_log() if "attempt" in e]
    thrice = [e for e in attempts if e["controller"] == "retry2"][1:]
    check([(e["attempt"], e["then"]) for e in thrice] == [(1, "retry"), (2, "retry"), (3, "failed")]
          and all(e["error"] == "servetest.Failed" and e["type"] == "Event" for e in thrice)
          and len({e["requestId"] for e in thrice}) == 1, "the attempts' lines: %r" % thrice)
    accepted = [e for e in srv.access_log() if e.get("type") == "Event" and e.get("status") == 202
                and e["controller"] == "retry2"]
    check(thrice[0]["requestId"] == accepted[1]["requestId"], "an attempt's requestId is its event's 202's")
    check(len(attempts) == 1 + 3 + 2 + 1, "one line per failed attempt: %d" % len(attempts))


def case_dests():
    """Destinations put through the API govern the events: OnFailure to an
    SQS queue (a line of DIR/sqs-NAME.jsonl, no dead letter), to the records
    controller (its @records handler runs), Delete: the spec's (none: the
    dead letters)."""
    wd = workdir("eic_dests")
    rec, records = os.path.join(wd, "record.txt"), os.path.join(wd, "records.jsonl")
    srv = Server(TESTBIN, wd, ["--retry-delays", "10,10"],
                 env={"SERVETEST_OUT": rec, "SERVETEST_RECORDS": records}).start()
    lam = client(srv.url)
    lam.put_function_event_invoke_config(FunctionName="retry0", DestinationConfig={
        "OnFailure": {"Destination": "arn:aws:sqs:us-east-1:000000000000:eic-q"}})
    fail_event(srv.port, "retry0", "q")
    qfile = os.path.join(wd, "sqs-eic-q.jsonl")
    wait_for(lambda: len(lines(qfile)) == 1, 30, "the SQS file's line")
    r = json.loads(lines(qfile)[0])
    # The config left MaximumRetryAttempts out: Lambda's default 2 retries, 3 attempts.
    check(r["requestContext"]["condition"] == "RetriesExhausted" and r["requestContext"]["approximateInvokeCount"] == 3
          and r["requestPayload"] == {"function": "fail", "tag": "q"}, "the SQS record: %r" % r)
    # OnFailure to the records controller, retries 0.
    lam.put_function_event_invoke_config(FunctionName="retry0", MaximumRetryAttempts=0,
                                         DestinationConfig={"OnFailure": {"Destination": ARN + "records"}})
    fail_event(srv.port, "retry0", "r")
    wait_for(lambda: len(lines(records)) == 1, 30, "the records handler's line")
    r = json.loads(lines(records)[0])
    check(r["condition"] == "RetriesExhausted" and r["approximateInvokeCount"] == 1
          and r["functionArn"].endswith(":function:retry0:$LATEST")
          and r["requestPayload"] == {"function": "fail", "tag": "r"}, "the record: %r" % r)
    # OnSuccess to an SNS topic on aged (its handler succeeds); the spec's age stays (Update).
    lam.update_function_event_invoke_config(FunctionName="aged", DestinationConfig={
        "OnSuccess": {"Destination": "arn:aws:sns:us-east-1:000000000000:eic-t"}})
    check(invoke_raw(srv.port, "aged", b'{"function":"record","tag":"ok"}', "Event")[0] == 202, "aged event")
    tfile = os.path.join(wd, "sns-eic-t.jsonl")
    wait_for(lambda: len(lines(tfile)) == 1, 30, "the SNS file's line")
    check(json.loads(lines(tfile)[0])["requestContext"]["condition"] == "Success", "the success record")
    check(srv.dead_letters() == [], "no dead letters: %r" % srv.dead_letters())
    # Delete: the spec's (retry0 has no destination): the dead letters again.
    lam.delete_function_event_invoke_config(FunctionName="retry0")
    fail_event(srv.port, "retry0", "dl")
    wait_for(lambda: len(srv.dead_letters()) == 1, 30, "the dead letter")
    check(len(lines(qfile)) == 1 and len(lines(records)) == 1, "no more records after Delete")
    check(srv.stop() == 0, "exit 0")


# ---- restart ----------------------------------------------------------------------------
def case_restart():
    wd = workdir("eic_restart")
    rec = os.path.join(wd, "record.txt")
    args = ["--retry-delays", "10,10"]
    env = {"SERVETEST_OUT": rec}
    first = Server(TESTBIN, wd, args, env=env, name="eic").start()
    lam = client(first.url)
    put = lam.put_function_event_invoke_config(FunctionName="retry2", MaximumRetryAttempts=0,
                                               MaximumEventAgeInSeconds=600)
    lam.put_function_event_invoke_config(FunctionName="servetest", MaximumEventAgeInSeconds=120)
    dc = {"OnSuccess": {"Destination": ARN + "records"},
          "OnFailure": {"Destination": "arn:aws:sqs:us-east-1:000000000000:after-q"}}
    lam.put_function_event_invoke_config(FunctionName="retry1", MaximumRetryAttempts=0, DestinationConfig=dc)
    path = os.path.join(first.journal, "event-invoke-config.jsonl")
    check(os.path.exists(path) and len(lines(path)) == 3, "the file holds three configs: %r" % lines(path))
    check(any(json.loads(ln).get("DestinationConfig") == dc for ln in lines(path)),
          "the file holds DestinationConfig as Lambda's shape: %r" % lines(path))
    first.kill()
    second = Server(TESTBIN, wd, args, env=env, name="eic").start()
    lam = client(second.url)
    got = lam.get_function_event_invoke_config(FunctionName="retry2")
    check(got["MaximumRetryAttempts"] == 0 and got["MaximumEventAgeInSeconds"] == 600
          and got["LastModified"] == put["LastModified"], "after SIGKILL and start: %r" % got)
    check(lam.get_function_event_invoke_config(FunctionName="servetest")["MaximumEventAgeInSeconds"] == 120,
          "servetest's config too")
    got = lam.get_function_event_invoke_config(FunctionName="retry1")
    check(got["DestinationConfig"] == dc and got["MaximumRetryAttempts"] == 0, "retry1's destinations: %r" % got)
    fail_event(second.port, "retry1", "to-q")
    qfile = os.path.join(wd, "sqs-after-q.jsonl")
    wait_for(lambda: len(lines(qfile)) == 1, 30, "the SQS line of the destination put before the restart")
    fail_event(second.port, "retry2", "after")
    wait_for(lambda: len(second.dead_letters()) == 1, 30, "the dead letter")
    check(sorted(lines(rec)) == ["after", "to-q"], "the configs put before the restart hold: one run each, %r"
          % lines(rec))
    check(second.stop() == 0, "exit 0")
    # --only leaves retry2 out: its line is kept, and back when it is served.
    only = Server(TESTBIN, wd, args + ["--only", "servetest"], env=env, name="eic").start()
    client(only.url).put_function_event_invoke_config(FunctionName="servetest", MaximumRetryAttempts=1)
    check(only.stop() == 0, "exit 0")
    again = Server(TESTBIN, wd, args, env=env, name="eic").start()
    check(client(again.url).get_function_event_invoke_config(FunctionName="retry2")["MaximumRetryAttempts"] == 0,
          "a controller left out by --only keeps its config")
    check(again.stop() == 0, "exit 0")
    # A damaged file: the start fails, naming the file and the line.
    with open(path) as f:
        good = f.read().splitlines()
    for bad, why in [('{"FunctionName":"retry2","MaximumRetryAttempts":7,"LastModified":1}', "MaximumRetryAttempts"),
                     ('{"FunctionName":"retry2","DestinationConfig":{"OnFailure":{"Destination":"arn:aws:sqs:::q"}},'
                      '"LastModified":1}', "no region"),
                     ('{"FunctionName":"retry2"', "not JSON"), ("garbage", "not JSON")]:
        with open(path, "w") as f:
            f.write(good[0] + "\n" + bad + "\n")
        p = subprocess.run([TESTBIN, "serve", "--listen", "127.0.0.1:0", "--journal", again.journal],
                           capture_output=True, text=True, timeout=30, cwd=wd)
        check(p.returncode == 2 and (path + ":2:") in p.stderr and why in p.stderr,
              "damage %r: exit %d, %s" % (bad, p.returncode, p.stderr))
    with open(path, "w") as f:
        f.write(good[0])  # no newline at the end
    p = subprocess.run([TESTBIN, "serve", "--listen", "127.0.0.1:0", "--journal", again.journal],
                       capture_output=True, text=True, timeout=30, cwd=wd)
    check(p.returncode == 2 and (path + ":1:") in p.stderr, "a cut line: %s" % p.stderr)


cases = {"boto3": case_boto3, "awscli": case_awscli, "runs": case_runs, "dests": case_dests,
         "restart": case_restart}
if len(sys.argv) != 2 or sys.argv[1] not in cases:
    fail("usage: eic_test.py " + "|".join(cases))
cases[sys.argv[1]]()
print("ok: eic " + sys.argv[1])
