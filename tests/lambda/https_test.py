#!/usr/bin/env python3
"""https_test.py PROBE: the Lambda transport over https verifies the
server with the CA bundle it picks (runtime/README.md, "The Lambda
transport"). A loopback https Invoke endpoint with a self-signed
certificate made here by the openssl command:

- SSL_CERT_FILE names that certificate: the call succeeds;
- SSL_CERT_FILE names the system bundle (which does not hold it): the
  call fails as a network error and never reaches the server.
"""
import http.server
import os
import ssl
import subprocess
import sys
import tempfile
import threading

probe = sys.argv[1]
failures = []
tmp = tempfile.mkdtemp(prefix="ctl-https-")
cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key, "-out", cert], check=True, capture_output=True)

received = []


class Invoke(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        received.append((self.path, self.headers.get("X-Amz-Invocation-Type"), body))
        out = b'{"pong":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Invoke)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
port = server.server_address[1]

env = dict(os.environ, AWS_ENDPOINT_URL_LAMBDA="https://localhost:%d" % port, AWS_REGION="us-east-1",
           AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret-for-tests")
env.pop("AWS_ENDPOINT_URL", None)


def run(ca):
    e = dict(env, SSL_CERT_FILE=ca)
    return subprocess.run([probe], env=e, capture_output=True, text=True, timeout=60)


r = run(cert)
if r.returncode != 0 or r.stdout.strip() != 'ok {"pong":true}':
    failures.append("trusted certificate: exit %d, output %r" % (r.returncode, r.stdout + r.stderr))
if received != [("/2015-03-31/functions/probe/invocations", "RequestResponse", b'{"function":"ping"}')]:
    failures.append("the server received %r" % received)

system_bundle = "/etc/ssl/certs/ca-certificates.crt"
if os.path.exists(system_bundle):
    before = len(received)
    r = run(system_bundle)
    if r.returncode != 1 or not r.stdout.startswith("ctl.NetworkError "):
        failures.append("untrusted certificate: exit %d, output %r" % (r.returncode, r.stdout + r.stderr))
    if len(received) != before:
        failures.append("a request reached the server over an unverified connection")
else:
    failures.append("no system CA bundle at %s to test the refusal with" % system_bundle)

server.shutdown()
for f in failures:
    print("FAIL:", f)
print("https: %d checks failed" % len(failures) if failures else "https: trusted and untrusted endpoints behave")
sys.exit(1 if failures else 0)
