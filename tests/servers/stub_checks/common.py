# SPDX-License-Identifier: Apache-2.0
"""What every provider stub check shares: the stubs' addresses (STUBS, filled in by
test_provider_stubs.py before any test runs), the run's unique names, the credentials sent (SECRETS) and
one request without redirect following."""
import base64
import hashlib
import json
import os
import random
import urllib.error
import urllib.parse
import urllib.request
import uuid

STUBS = {}
RUN = uuid.uuid4().hex[:10]
SECRETS = []  # every credential this test sends: none may appear in a log or in /__stats


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name)

    def all(self, name):
        return self.headers.get_all(name) or []

    def json(self):
        return json.loads(self.body)


def fetch(url, method="GET", headers=None, data=None, user_agent="cxrcat-stub-smoke/1"):
    """One request, no redirect following; returns Response for any status."""
    all_headers = {"User-Agent": user_agent, **(headers or {})}
    if isinstance(data, (dict, list)):
        data = json.dumps(data).encode()
        all_headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with OPENER.open(request, timeout=30) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, error.headers, error.read())


def basic(user, password):
    SECRETS.append(password)  # every password here is random and long enough not to occur by chance
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def bearer(token):
    SECRETS.append(token)
    return {"Authorization": f"Bearer {token}"}


def world(*parts):
    return os.path.join(STUBS["world"], *parts)


def put(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    os.replace(tmp, path)
    return data


def put_json(path, document):
    put(path, json.dumps(document))


def random_bytes(size, seed):
    return random.Random(seed).randbytes(size)


def unique(prefix):
    return f"{prefix}-{RUN}-{uuid.uuid4().hex[:6]}"


def unique_record():
    return str(random.SystemRandom().randrange(10**11, 10**12))


def stats(server, path):
    r = fetch(f"{STUBS[server]}/__stats?path={urllib.parse.quote(path)}")
    assert r.status == 200
    return r.json().get(path, {"requests": 0, "statuses": [], "authorization": 0, "log": []})


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def git_blob_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
