#!/bin/sh
# sigv4_bench.sh [BUILD_DIR] [ROUNDS]: how long libctl takes to sign a Lambda
# Invoke request, next to botocore's SigV4Auth (pure Python, what boto3 uses
# without python3-awscrt) and botocore's CRT signer (python3-awscrt), on the
# same 400 requests of the botocore corpus (tests/sigv4), in the same run.
# A benchmark, run by hand: it prints figures and asserts nothing.
# BUILD_DIR: a build with tests (default build); ROUNDS: signatures of each
# request (default 50). Needs Debian's python3-botocore; awscrt optional.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
rounds=${2:-50}
prog=$build/tests/sigv4/sigv4_botocore
[ -x "$prog" ] || { echo "no $prog; build first (cmake --build $build)"; exit 2; }
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
echo "build: $(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt") $(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")"
"$py" "$here/../sigv4/botocore_corpus.py" --out "$work/corpus.jsonl" --count 400 --seed 4
ctl=$("$prog" "$work/corpus.jsonl" --bench "$rounds" | sed -n 's/^bench: ctli\{0,1\}_sigv4_sign \([0-9.]*\) us.*/\1/p')
"$py" - "$work/corpus.jsonl" "$rounds" "$ctl" <<'PY'
import base64, json, os, sys, time
os.environ.pop("BOTO_DISABLE_CRT", None)
import botocore.auth, botocore.awsrequest, botocore.credentials
try:
    import botocore.crt.auth as crt
except ImportError:
    crt = None
path, rounds, ctl_us = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
recs = [json.loads(l) for l in open(path)]

def bench(signer_class):
    total, n = 0.0, 0
    for r in recs:
        keep = set(r["signed_headers"]) - {"host", "x-amz-date", "x-amz-security-token"}
        hdrs = {k: v for k, v in r["headers"] if k.lower() in keep}
        body = base64.b64decode(r["body"])
        c = r["creds"]
        signer = signer_class(botocore.credentials.Credentials(c["access_key_id"], c["secret_access_key"],
                                                               c["session_token"]), "lambda", r["region"])
        reqs = [botocore.awsrequest.AWSRequest(method="POST", url=r["url"], data=body, headers=dict(hdrs))
                for _ in range(rounds)]
        t0 = time.perf_counter()
        for q in reqs:
            signer.add_auth(q)
        total += time.perf_counter() - t0
        n += rounds
    return total / n * 1e6

print(f"ctli_sigv4_sign:         {ctl_us:8.2f} us per request")
py_us = bench(botocore.auth.SigV4Auth)
print(f"botocore SigV4Auth:      {py_us:8.2f} us per request  (ctl takes {ctl_us / py_us:.3f}x its time)")
if crt:
    crt_us = bench(crt.CrtSigV4Auth)
    print(f"botocore CrtSigV4Auth:   {crt_us:8.2f} us per request  (ctl takes {ctl_us / crt_us:.3f}x its time)")
print(f"{len(recs)} requests x {rounds} rounds each; payloads 0 to ~70 KB (see payload_kind in the corpus)")
PY
