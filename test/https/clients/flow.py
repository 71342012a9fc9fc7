"""The API-channel journey with Python's standard library (urllib), unchanged: it finds the mock
through HTTPS_PROXY and trusts it through SSL_CERT_FILE, as any Python client would.
token → create (10011) → FRONT, BACK, FACE uploads → finalize → status until PROCESSED.
Env: HTTPS_PROXY, SSL_CERT_FILE, CLIENT_ID, IMAGES. Prints "status <final status>"."""
import base64
import json
import os
import sys
import time
import urllib.request
import uuid

UA = "AcmeBank KYC/1.0 (python urllib)"
IMAGES = os.environ["IMAGES"]


def call(method, url, token=None, body=None, content_type=None, basic=None):
    headers = {"User-Agent": UA}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if basic:
        headers["Authorization"] = "Basic " + base64.b64encode(basic.encode()).decode()
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as res:
        print(method, url, res.status, file=sys.stderr)
        return json.loads(res.read() or b"{}")


def multipart(path):
    boundary = uuid.uuid4().hex
    with open(path, "rb") as f:
        data = f.read()
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{os.path.basename(path)}"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


token = call(
    "POST",
    "https://auth.amer-1.jumio.ai/oauth2/token",
    basic=f"{os.environ['CLIENT_ID']}:secret",
    body=b"grant_type=client_credentials",
    content_type="application/x-www-form-urlencoded",
)["access_token"]
created = call(
    "POST",
    "https://account.amer-1.jumio.ai/api/v1/accounts",
    token=token,
    body=json.dumps({"customerInternalReference": "https-python", "workflowDefinition": {"key": 10011}}).encode(),
    content_type="application/json",
)
finalize = api_token = None
for credential in created["workflowExecution"]["credentials"]:
    api = credential.get("api")
    if not api:
        continue
    api_token, finalize = api["token"], api["workflowExecution"]
    for part, href in api["parts"].items():
        body, content_type = multipart(os.path.join(IMAGES, f"{part}.png"))
        call("POST", href, token=api_token, body=body, content_type=content_type)
call("PUT", finalize, token=api_token)
account, wfe = created["account"]["id"], created["workflowExecution"]["id"]
status = None
for _ in range(50):
    status = call(
        "GET",
        f"https://retrieval.amer-1.jumio.ai/api/v1/accounts/{account}/workflow-executions/{wfe}/status",
        token=token,
    )["workflowExecution"]["status"]
    if status == "PROCESSED":
        break
    time.sleep(0.1)
print("status", status)
