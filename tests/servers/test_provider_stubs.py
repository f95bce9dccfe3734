#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Smoke test of the provider stubs: every behaviour promised in tests/servers/README.md ("Provider stubs").

Usage: CXRCAT_PROVIDER_STUBS=STATE_DIR/providers.json test_provider_stubs.py [unittest options]
Uses urllib (redirects are never followed implicitly, so each hop is checked). Exits 77 (skipped) when
providers.json is absent, unless CXRCAT_REQUIRE_SERVERS=1, which makes that a failure. Safe to run while
other tests use the same stubs: every test works on world entries with names of its own.
"""
import base64
import hashlib
import http.client
import io
import json
import os
import random
import sys
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fixture_state import read_fixture_state  # noqa: E402  (beside this file)

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


# --- Zenodo -----------------------------------------------------------------------------------------------

class Zenodo(unittest.TestCase):
    def setUp(self):
        self.id = unique_record()
        self.dir = world("zenodo", self.id)
        self.data = put(os.path.join(self.dir, "subset 0.zip"), random_bytes(5000, 1))
        self.nested = put(os.path.join(self.dir, "docs", "readme.txt"), b"readme\n")
        self.base = STUBS["zenodo"]

    def test_record_metadata_in_the_legacy_compatible_shape(self):
        put_json(os.path.join(self.dir, "_meta.json"), {"license": "cc-by-4.0", "title": "LUNA16 part 1",
                                                        "version": "1.0"})
        r = fetch(f"{self.base}/api/records/{self.id}")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("application/json"))
        record = r.json()
        self.assertEqual(record["id"], int(self.id))
        self.assertEqual(record["recid"], self.id)
        self.assertEqual(record["doi"], f"10.5281/zenodo.{self.id}")
        self.assertEqual(record["metadata"]["license"], {"id": "cc-by-4.0"})
        self.assertEqual(record["metadata"]["version"], "1.0")
        self.assertEqual(record["title"], "LUNA16 part 1")
        self.assertEqual((record["status"], record["state"], record["submitted"]), ("published", "done", True))
        files = {f["key"]: f for f in record["files"]}
        self.assertEqual(sorted(files), ["docs/readme.txt", "subset 0.zip"])  # control files are not listed
        entry = files["subset 0.zip"]
        self.assertEqual(set(entry), {"id", "key", "size", "checksum", "links"})
        self.assertEqual(entry["size"], 5000)
        self.assertEqual(entry["checksum"], "md5:" + hashlib.md5(self.data).hexdigest())
        self.assertEqual(entry["links"]["self"], f"{self.base}/api/records/{self.id}/files/subset%200.zip/content")
        self.assertEqual(files["docs/readme.txt"]["links"]["self"],
                         f"{self.base}/api/records/{self.id}/files/docs/readme.txt/content")
        for header in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
            self.assertTrue(r.header(header), header)

    def test_record_without_license_and_rdm_files_envelope(self):
        put_json(os.path.join(self.dir, "_meta.json"), {"license": None})
        self.assertNotIn("license", fetch(f"{self.base}/api/records/{self.id}").json()["metadata"])
        envelope = fetch(f"{self.base}/api/records/{self.id}/files").json()
        self.assertTrue(envelope["enabled"])
        self.assertEqual([e["key"] for e in envelope["entries"]], ["docs/readme.txt", "subset 0.zip"])
        self.assertTrue(envelope["entries"][1]["links"]["content"].endswith("/files/subset%200.zip/content"))

    def test_post_migration_legacy_shape(self):
        put(os.path.join(self.dir, "_legacy.json"), "{}")
        files = {f["filename"]: f for f in fetch(f"{self.base}/api/records/{self.id}").json()["files"]}
        entry = files["subset 0.zip"]
        self.assertEqual(entry["filesize"], 5000)
        self.assertEqual(entry["checksum"], hashlib.md5(self.data).hexdigest())
        self.assertNotIn("key", entry)

    def test_pre_2023_bucket_shape_and_its_link(self):
        put(os.path.join(self.dir, "_bucket.json"), "{}")
        files = {f["key"]: f for f in fetch(f"{self.base}/api/records/{self.id}").json()["files"]}
        entry = files["subset 0.zip"]
        self.assertEqual(entry["checksum"], "md5:" + hashlib.md5(self.data).hexdigest())
        self.assertIn(f"/api/files/{entry['bucket']}/subset%200.zip", entry["links"]["self"])
        self.assertEqual(fetch(entry["links"]["self"]).body, self.data)
        self.assertEqual(fetch(f"{self.base}/api/records/{self.id}/files/subset%200.zip/content").status, 404)

    def test_restricted_record_lists_no_files(self):
        put(os.path.join(self.dir, "_restricted"), "")
        self.assertEqual(fetch(f"{self.base}/api/records/{self.id}").json()["files"], [])

    def test_concept_id_answers_only_through_versions_latest(self):
        concept = unique_record()
        put_json(os.path.join(self.dir, "_meta.json"), {"conceptrecid": concept})
        self.assertEqual(fetch(f"{self.base}/api/records/{concept}").status, 404)
        r = fetch(f"{self.base}/api/records/{concept}/versions/latest")
        self.assertEqual(r.status, 302)
        self.assertEqual(r.header("Location"), f"{self.base}/api/records/{self.id}")

    def test_unknown_record(self):
        r = fetch(f"{self.base}/api/records/{unique_record()}")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json(), {"status": 404, "message": "The persistent identifier does not exist."})
        self.assertEqual(fetch(f"{self.base}/api/records/{self.id}/files/missing.bin/content").status, 404)

    def test_deleted_record(self):
        put_json(os.path.join(self.dir, "_meta.json"), {"deleted": True})
        r = fetch(f"{self.base}/api/records/{self.id}")
        self.assertEqual((r.status, r.json()["status"]), (410, 410))

    def test_api_content_route_ignores_range(self):
        r = fetch(f"{self.base}/api/records/{self.id}/files/subset%200.zip/content", headers={"Range": "bytes=100-"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, self.data)
        self.assertIsNone(r.header("Content-Range"))
        self.assertIsNone(r.header("Accept-Ranges"))
        self.assertEqual(r.header("Content-Type"), "application/zip")
        put(os.path.join(self.dir, "_api_range"), "")
        r = fetch(f"{self.base}/api/records/{self.id}/files/subset%200.zip/content", headers={"Range": "bytes=100-"})
        self.assertEqual((r.status, r.body), (206, self.data[100:]))

    def test_records_route_honours_range(self):
        url = f"{self.base}/records/{self.id}/files/subset%200.zip?download=1"
        whole = fetch(url)
        self.assertEqual((whole.status, whole.body), (200, self.data))
        md5 = hashlib.md5(self.data).hexdigest()
        self.assertEqual(whole.header("ETag"), f'"md5:{md5}"')
        self.assertEqual(whole.header("Accept-Ranges"), "bytes")
        self.assertTrue(whole.header("Content-Disposition").startswith("attachment"))
        part = fetch(url, headers={"Range": "bytes=1000-"})
        self.assertEqual(part.status, 206)
        self.assertEqual(part.header("Content-Range"), "bytes 1000-4999/5000")
        self.assertEqual(part.body, self.data[1000:])
        self.assertEqual(fetch(url, headers={"Range": "bytes=9000-"}).status, 416)
        stale = fetch(url, headers={"Range": "bytes=10-", "If-Range": '"md5:0"'})
        self.assertEqual(stale.status, 200)
        head = fetch(url, method="HEAD")
        self.assertEqual((head.status, head.body, head.header("Content-Length")), (200, b"", "5000"))

    def test_retry_after_rides_on_every_answer(self):
        # Flask-Limiter, as Zenodo configures it, sets Retry-After on a plain 200 and 206 too.
        url = f"{self.base}/records/{self.id}/files/subset%200.zip?download=1"
        for r in (fetch(f"{self.base}/api/records/{self.id}"), fetch(url), fetch(url, headers={"Range": "bytes=1-"})):
            self.assertIn(r.status, (200, 206))
            self.assertTrue(1 <= int(r.header("Retry-After")) <= 60, r.header("Retry-After"))
            self.assertIsNotNone(r.header("X-RateLimit-Remaining"))

    def test_validators_and_dropped_bodies(self):
        url = f"{self.base}/records/{self.id}/files/subset%200.zip?download=1"
        put(os.path.join(self.dir, "_validators"), "last-modified")
        r = fetch(url)
        self.assertIsNone(r.header("ETag"))
        modified = r.header("Last-Modified")
        self.assertTrue(modified.endswith(" GMT"))
        self.assertEqual(fetch(url, headers={"Range": "bytes=10-", "If-Range": modified}).status, 206)
        put(os.path.join(self.dir, "_validators"), "none")
        r = fetch(url)
        self.assertIsNone(r.header("ETag"))
        self.assertIsNone(r.header("Last-Modified"))
        os.remove(os.path.join(self.dir, "_validators"))
        put(os.path.join(self.dir, "_drop"), "1 100")
        with self.assertRaises(http.client.IncompleteRead):  # the announced length never arrives
            fetch(url)
        self.assertEqual(fetch(url).body, self.data)  # the counter is used up

    def test_legacy_singular_record_url_redirects(self):
        r = fetch(f"{self.base}/record/{self.id}/files/docs/readme.txt?download=1")
        self.assertEqual(r.status, 301)
        self.assertEqual(r.header("Location"), f"/records/{self.id}/files/docs/readme.txt?download=1")

    def test_rate_limit(self):
        put(os.path.join(self.dir, "_ratelimit"), "2")
        url = f"{self.base}/api/records/{self.id}"
        first = fetch(url)
        self.assertEqual(first.status, 429)
        self.assertEqual(first.header("Retry-After"), "1")
        self.assertEqual(first.header("X-RateLimit-Remaining"), "0")
        self.assertTrue(first.header("X-RateLimit-Reset").isdigit())
        self.assertEqual(first.json()["status"], 429)
        self.assertEqual(fetch(f"{url}/files/docs/readme.txt/content").status, 429)  # every request counts
        self.assertEqual(fetch(url).status, 200)
        with open(os.path.join(self.dir, "_ratelimit")) as f:
            self.assertEqual(f.read().split()[0], "0")
        self.assertEqual(stats("zenodo", f"/api/records/{self.id}")["statuses"], [429, 200])

    def test_access_token_is_not_logged(self):
        token = "zenodo-" + uuid.uuid4().hex
        SECRETS.append(token)
        self.assertEqual(fetch(f"{self.base}/api/records/{self.id}?access_token={token}").status, 200)
        entry = stats("zenodo", f"/api/records/{self.id}")["log"][-1]
        self.assertIn("access_token=REDACTED", entry["target"])


# --- PhysioNet --------------------------------------------------------------------------------------------

WGET = "Wget/1.21.3"


class PhysioNet(unittest.TestCase):
    def setUp(self):
        self.slug = unique("cxr")
        self.version = "2.1.0"
        self.dir = world("physionet", self.slug, self.version)
        self.license = put(os.path.join(self.dir, "LICENSE.txt"), b"license text\n")
        self.image = put(os.path.join(self.dir, "files", "p10", "s1", "a.jpg"), random_bytes(3000, 2))
        put(os.path.join(self.dir, "files", "p10", "s1", "b c.jpg"), b"second\n")
        put(os.path.join(self.dir, "README"), b"read me\n")
        self.user, self.password = unique("user"), uuid.uuid4().hex
        put_json(world("physionet", "_users.d", f"{self.slug}.json"), {
            self.user: {"password": self.password, "credentialed": True, "dua": [f"{self.slug}/{self.version}"],
                        "email": f"{self.user}@example.org"},
            self.user + "-nodua": {"password": self.password, "credentialed": True, "dua": [f"{self.slug}/1.0.0"]},
            self.user + "-uncred": {"password": self.password, "credentialed": False,
                                    "dua": [f"{self.slug}/{self.version}"]}})
        self.base = f"{STUBS['physionet']}/files/{self.slug}/{self.version}"
        self.auth = basic(self.user, self.password)

    def test_status_matrix(self):
        url = f"{self.base}/LICENSE.txt"
        challenge = fetch(url, user_agent=WGET)
        self.assertEqual(challenge.status, 401)
        self.assertEqual(challenge.body, b"")
        self.assertEqual(challenge.header("WWW-Authenticate"), 'Basic realm="PhysioNet", charset="UTF-8"')
        self.assertIn("testcookie=1", challenge.header("Set-Cookie"))
        self.assertEqual(fetch(url, headers=basic(self.user, "wrong-" + RUN), user_agent=WGET).status, 401)
        self.assertEqual(fetch(url, headers=basic("nobody-" + RUN, uuid.uuid4().hex), user_agent=WGET).status, 401)
        for who in (self.user + "-nodua", self.user + "-uncred"):
            refused = fetch(url, headers=basic(who, self.password), user_agent=WGET)
            self.assertEqual(refused.status, 403, who)
            self.assertTrue(refused.header("Content-Type").startswith("text/html"))
            self.assertIn(b"403", refused.body)
        ok = fetch(url, headers=self.auth, user_agent=WGET)
        self.assertEqual((ok.status, ok.body), (200, self.license))
        self.assertEqual(fetch(url, headers=self.auth, user_agent="libwfdb/10.7").status, 200)
        by_email = basic(f"{self.user.upper()}@EXAMPLE.ORG", self.password)
        self.assertEqual(fetch(url, headers=by_email, user_agent=WGET).status, 200)
        self.assertEqual(fetch(f"{self.base}/missing.txt", headers=self.auth, user_agent=WGET).status, 404)
        self.assertEqual(fetch(f"{STUBS['physionet']}/files/{self.slug}/9.9.9/LICENSE.txt", headers=self.auth,
                               user_agent=WGET).status, 404)

    def test_user_agent_gate(self):
        url = f"{self.base}/LICENSE.txt"
        for agent in ("cxrcat/0.1.0", "curl/8.5.0", "Mozilla/5.0", "wget/1.21"):
            anonymous = fetch(url, user_agent=agent)
            self.assertEqual(anonymous.status, 403, agent)  # never a 401 for these
            with_credentials = fetch(url, headers=self.auth, user_agent=agent)
            self.assertEqual(with_credentials.status, 403, agent)  # Authorization ignored
            self.assertTrue(with_credentials.header("Content-Type").startswith("text/html"))
            self.assertIsNone(with_credentials.header("WWW-Authenticate"))

    def test_checksum_file(self):
        put(os.path.join(self.dir, "_html_login_unused"), "")  # a control file: never listed
        r = fetch(f"{self.base}/SHA256SUMS.txt", headers=self.auth, user_agent=WGET)
        self.assertEqual(r.status, 200)
        lines = r.body.decode().splitlines()
        paths = [line.split(" ", 1)[1] for line in lines]
        # Every file, recursively, never the listing itself, in an order no client may rely on.
        self.assertEqual(sorted(paths, key=lambda p: p.encode()),
                         ["LICENSE.txt", "README", "files/p10/s1/a.jpg", "files/p10/s1/b c.jpg"])
        self.assertNotEqual(paths, sorted(paths, key=lambda p: p.encode()))
        for line in lines:
            digest, path = line.split(" ", 1)
            self.assertRegex(digest, r"^[0-9a-f]{64}$")
            self.assertFalse(path.startswith(" "))  # exactly one space
        self.assertIn(f"{hashlib.sha256(self.image).hexdigest()} files/p10/s1/a.jpg", lines)
        self.assertEqual(fetch(f"{self.base}/SHA256SUMS.txt", user_agent=WGET).status, 401)
        self.assertEqual(fetch(f"{self.base}/_html_login_unused", headers=self.auth, user_agent=WGET).status, 404)

    def test_range_and_head(self):
        url = f"{self.base}/files/p10/s1/a.jpg"
        r = fetch(url, headers={**self.auth, "Range": "bytes=100-199"}, user_agent=WGET)
        self.assertEqual(r.status, 206)
        self.assertEqual(r.header("Content-Range"), "bytes 100-199/3000")
        self.assertEqual(r.body, self.image[100:200])
        self.assertEqual(r.header("Content-Type"), "image/jpeg")
        head = fetch(url, method="HEAD", headers=self.auth, user_agent=WGET)
        self.assertEqual((head.status, head.header("Content-Length"), head.body), (200, "3000", b""))
        self.assertEqual(fetch(url, method="HEAD", user_agent=WGET).status, 401)

    def test_open_access(self):
        open_slug = unique("open")
        put(world("physionet", open_slug, "1.0.0", "data.csv"), b"a,b\n")
        put_json(world("physionet", "_open.d", f"{open_slug}.json"), [open_slug])
        for agent in ("cxrcat/0.1.0", WGET):
            r = fetch(f"{STUBS['physionet']}/files/{open_slug}/1.0.0/data.csv", user_agent=agent)
            self.assertEqual((r.status, r.body), (200, b"a,b\n"))
        flagged = unique("flag")
        put(world("physionet", flagged, "1.0", "x.txt"), b"x")
        put(world("physionet", flagged, "1.0", "_open"), "")
        self.assertEqual(fetch(f"{STUBS['physionet']}/files/{flagged}/1.0/x.txt").status, 200)

    def test_landing_pages(self):
        for url in (f"{STUBS['physionet']}/content/{self.slug}/{self.version}/", f"{STUBS['physionet']}/content/"
                    f"{self.slug}/"):
            r = fetch(url)
            self.assertEqual(r.status, 200, url)
            self.assertIn(f"/sign-dua/{self.slug}/{self.version}/".encode(), r.body)
        self.assertEqual(fetch(f"{STUBS['physionet']}/content/{self.slug}/7.7/").status, 404)

    def test_html_login_page_with_200(self):
        put(os.path.join(self.dir, "_html_login"), "files/*\n")
        login = fetch(f"{self.base}/files/p10/s1/a.jpg", headers=self.auth, user_agent=WGET)
        self.assertEqual(login.status, 200)
        self.assertTrue(login.header("Content-Type").startswith("text/html"))
        self.assertIn(b"<form", login.body)
        self.assertEqual(fetch(f"{self.base}/LICENSE.txt", headers=self.auth, user_agent=WGET).body, self.license)
        put(os.path.join(self.dir, "_html_login"), "")
        self.assertIn(b"<!DOCTYPE html>", fetch(f"{self.base}/SHA256SUMS.txt", headers=self.auth,
                                                user_agent=WGET).body)

    def test_directories(self):
        listing = fetch(f"{self.base}/", headers=self.auth, user_agent=WGET)
        self.assertEqual(listing.status, 200)
        self.assertIn(b'<a href="files/">files/</a>', listing.body)
        redirect = fetch(f"{self.base}/files", headers=self.auth, user_agent=WGET)
        self.assertEqual((redirect.status, redirect.header("Location")),
                         (302, f"/files/{self.slug}/{self.version}/files/"))

    def test_rate_limit(self):
        put(os.path.join(self.dir, "_ratelimit"), "1 3")
        r = fetch(f"{self.base}/LICENSE.txt", headers=self.auth, user_agent=WGET)
        self.assertEqual((r.status, r.header("Retry-After")), (429, "3"))
        self.assertEqual(fetch(f"{self.base}/LICENSE.txt", headers=self.auth, user_agent=WGET).status, 200)

    def test_stats_record_the_scheme_only(self):
        path = f"/files/{self.slug}/{self.version}/README"
        fetch(f"{STUBS['physionet']}{path}", headers=self.auth, user_agent=WGET)
        s = stats("physionet", path)
        self.assertEqual(s["authorization"], 1)
        self.assertEqual(s["log"][0]["auth_scheme"], "Basic")
        self.assertEqual(s["log"][0]["user_agent"], WGET)
        self.assertNotIn(self.password, json.dumps(s))
        self.assertNotIn(self.auth["Authorization"].split()[1], json.dumps(s))


# --- Kaggle -----------------------------------------------------------------------------------------------

RULES_BODY = (b'{"code":403,"message":"You must accept this competition\\u0027s rules before you\\u0027ll be able '
              b'to download files."}')


class Kaggle(unittest.TestCase):
    def setUp(self):
        self.comp = unique("rsna")
        self.dir = world("kaggle", self.comp)
        self.files = {"a.csv": b"id,label\n1,0\n", "b.csv": b"x\n", "c.csv": random_bytes(4000, 3),
                      "train/x.dcm": random_bytes(777, 4), "train/y.dcm": b"y"}
        for name, data in self.files.items():
            put(os.path.join(self.dir, *name.split("/")), data)
        self.user, self.key = unique("kuser"), uuid.uuid4().hex
        self.token = "KGAT_" + uuid.uuid4().hex
        self.other_user, self.other_key = unique("kother"), uuid.uuid4().hex
        put_json(world("kaggle", "_auth.d", f"{self.comp}.json"), {
            "keys": {self.user: self.key, self.other_user: self.other_key}, "tokens": [self.token],
            "accepted": {self.comp: [self.user, self.token]}})
        self.base = STUBS["kaggle"]
        self.auth = basic(self.user, self.key)
        self.list_url = f"{self.base}/api/v1/competitions/data/list/{self.comp}"

    def list_all(self, headers, page_size=None):
        names, token, pages = [], "", 0
        while True:
            query = {"pageToken": token, **({"pageSize": page_size} if page_size else {})}
            r = fetch(f"{self.list_url}?{urllib.parse.urlencode(query)}", headers=headers)
            self.assertEqual(r.status, 200, r.body)
            document = r.json()
            self.assertEqual(set(document), {"files", "nextPageToken"})
            pages += 1
            for entry in document["files"]:
                self.assertEqual(set(entry), {"ref", "name", "description", "totalBytes", "url", "creationDate"})
                self.assertEqual(entry["totalBytes"], len(self.files[entry["name"]]))
                names.append(entry["name"])
            token = document["nextPageToken"]
            if not token:
                return names, pages

    def test_list_paging(self):
        names, pages = self.list_all(self.auth)
        self.assertEqual(names, sorted(self.files))
        self.assertEqual(pages, 3)  # 5 files, 2 per page
        names, pages = self.list_all(bearer(self.token), page_size=1)
        self.assertEqual((len(names), pages), (5, 5))
        put(os.path.join(self.dir, "_page_size"), "20")
        self.assertEqual(self.list_all(self.auth)[1], 1)

    def test_bare_array_variant(self):
        put(os.path.join(self.dir, "_bare_array"), "")
        r = fetch(self.list_url, headers=self.auth)
        self.assertIsInstance(r.json(), list)
        self.assertEqual([e["name"] for e in r.json()], sorted(self.files))

    def test_unauthenticated(self):
        for headers in ({}, basic(self.user, "wrong-" + uuid.uuid4().hex), bearer("KGAT_wrong" + RUN),
                        {"Authorization": "Basic !!"}):
            r = fetch(self.list_url, headers=headers)
            self.assertEqual(r.status, 401)
            self.assertEqual(r.body, b'{"code":401,"message":"Unauthenticated"}')
            self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertEqual(fetch(f"{self.base}/api/v1/competitions/data/download/{self.comp}/a.csv").status, 401)

    def test_rules_not_accepted(self):
        r = fetch(f"{self.base}/api/v1/competitions/data/download/{self.comp}/a.csv",
                  headers=basic(self.other_user, self.other_key))
        self.assertEqual(r.status, 403)
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertEqual(r.body, RULES_BODY)
        self.assertEqual(json.loads(r.body)["message"],
                         "You must accept this competition's rules before you'll be able to download files.")
        # listing needs only valid credentials, unless _rules_on_list
        self.assertEqual(fetch(self.list_url, headers=basic(self.other_user, self.other_key)).status, 200)
        put(os.path.join(self.dir, "_rules_on_list"), "")
        self.assertEqual(fetch(self.list_url, headers=basic(self.other_user, self.other_key)).body, RULES_BODY)

    def test_not_found(self):
        listed = fetch(f"{self.base}/api/v1/competitions/data/list/{unique('none')}", headers=self.auth)
        self.assertEqual((listed.status, listed.json()["message"]), (403, "Permission 'competitions.get' was denied"))
        download = fetch(f"{self.base}/api/v1/competitions/data/download/{unique('none')}/a.csv", headers=self.auth)
        self.assertEqual((download.status, download.json()["message"]),
                         (403, "Required permission 'competitions.get' was not satisfied"))
        r = fetch(f"{self.base}/api/v1/competitions/data/download/{self.comp}/missing.csv", headers=self.auth)
        self.assertEqual((r.status, r.json()["code"]), (404, 404))

    def test_download_redirects_to_a_signed_url_on_another_host(self):
        r = fetch(f"{self.base}/api/v1/competitions/data/download/{self.comp}/train/x.dcm", headers=self.auth)
        self.assertEqual(r.status, 302)
        target = urllib.parse.urlsplit(r.header("Location"))
        self.assertEqual(f"{target.scheme}://{target.netloc}", STUBS["kaggle_signed"])
        self.assertNotEqual(target.netloc, urllib.parse.urlsplit(self.base).netloc)
        self.assertIn("X-Goog-Signature=", target.query)
        self.assertTrue(target.path.endswith("/train/x.dcm"))
        signed = fetch(r.header("Location"))
        self.assertEqual((signed.status, signed.body), (200, self.files["train/x.dcm"]))
        self.assertEqual(signed.header("Accept-Ranges"), "bytes")
        self.assertTrue(signed.header("Last-Modified"))
        md5 = base64.b64encode(hashlib.md5(self.files["train/x.dcm"]).digest()).decode()
        self.assertIn(f"md5={md5}", signed.all("x-goog-hash"))
        part = fetch(r.header("Location"), headers={"Range": "bytes=700-"})
        self.assertEqual((part.status, part.header("Content-Range"), part.body),
                         (206, "bytes 700-776/777", self.files["train/x.dcm"][700:]))
        s = stats("kaggle", target.path)
        self.assertEqual((s["requests"], s["authorization"]), (2, 0))
        tampered = fetch(r.header("Location").replace("X-Goog-Signature=", "X-Goog-Signature=0"))
        self.assertEqual(tampered.status, 403)
        self.assertIn(b"SignatureDoesNotMatch", tampered.body)

    def test_bearer_token_and_expired_signed_url(self):
        put(os.path.join(self.dir, "_signed_expires"), "-1")
        r = fetch(f"{self.base}/api/v1/competitions/data/download/{self.comp}/a.csv", headers=bearer(self.token))
        self.assertEqual(r.status, 302)
        expired = fetch(r.header("Location"))
        self.assertEqual(expired.status, 400)
        self.assertIn(b"ExpiredToken", expired.body)

    def test_download_all(self):
        r = fetch(f"{self.base}/api/v1/competitions/data/download-all/{self.comp}", headers=self.auth)
        self.assertEqual(r.status, 302)
        self.assertTrue(urllib.parse.urlsplit(r.header("Location")).path.endswith(f"/{self.comp}.zip"))
        archive = fetch(r.header("Location"))
        self.assertEqual(archive.header("Content-Type"), "application/zip")
        with zipfile.ZipFile(io.BytesIO(archive.body)) as z:
            self.assertEqual({n: z.read(n) for n in z.namelist()}, self.files)

    def test_the_archive_call_refused_or_padded(self):
        service = f"{self.base}/v1/competitions.CompetitionApiService"
        put(os.path.join(self.dir, "_archive_padding"), "2")
        r = fetch(f"{service}/DownloadDataFiles", "POST", self.auth, {"competitionName": self.comp})
        with zipfile.ZipFile(io.BytesIO(fetch(r.header("Location")).body)) as z:
            first = z.namelist()[0]
            self.assertEqual(z.read(first), self.files[first] + b"\0\0")
        put(os.path.join(self.dir, "_archive_refused"), "429")
        refused = fetch(f"{service}/DownloadDataFiles", "POST", self.auth, {"competitionName": self.comp})
        self.assertEqual(refused.status, 429)
        self.assertEqual(refused.json()["error"]["status"], "RESOURCE_EXHAUSTED")
        one = fetch(f"{service}/DownloadDataFile", "POST", self.auth, {"competitionName": self.comp, "fileName": "a.csv"})
        self.assertEqual(one.status, 302)

    def test_a_file_served_as_a_zip_of_itself(self):
        put(os.path.join(self.dir, "_zipped"), "a.csv\ntrain/*\n")
        r = fetch(f"{self.base}/api/v1/competitions/data/download/{self.comp}/train/x.dcm", headers=self.auth)
        self.assertEqual(r.status, 302)
        self.assertTrue(urllib.parse.urlsplit(r.header("Location")).path.endswith("/train/x.dcm.zip"))
        zipped = fetch(r.header("Location"))
        self.assertEqual((zipped.status, zipped.header("Content-Type")), (200, "application/zip"))
        self.assertEqual(zipped.header("Content-Length"), str(len(zipped.body)))
        with zipfile.ZipFile(io.BytesIO(zipped.body)) as z:
            self.assertEqual([(i.filename, i.compress_type) for i in z.infolist()], [("x.dcm", zipfile.ZIP_DEFLATED)])
            self.assertEqual(z.read("x.dcm"), self.files["train/x.dcm"])
        plain = fetch(f"{self.base}/api/v1/competitions/data/download/{self.comp}/b.csv", headers=self.auth)
        self.assertTrue(urllib.parse.urlsplit(plain.header("Location")).path.endswith("/b.csv"))
        put(os.path.join(self.dir, "_zipped_padding"), "3")
        r = fetch(f"{self.base}/api/v1/competitions/data/download/{self.comp}/a.csv", headers=self.auth)
        with zipfile.ZipFile(io.BytesIO(fetch(r.header("Location")).body)) as z:
            self.assertEqual(z.read("a.csv"), self.files["a.csv"] + b"\0\0\0")

    def test_rpc_endpoints(self):
        service = f"{self.base}/v1/competitions.CompetitionApiService"
        listed = fetch(f"{service}/ListDataFiles", "POST", self.auth,
                       {"competitionName": self.comp, "pageSize": 20, "pageToken": ""})
        self.assertEqual(listed.status, 200)
        self.assertEqual([f["name"] for f in listed.json()["files"]], ["a.csv", "b.csv"])
        self.assertTrue(listed.json()["nextPageToken"])
        one = fetch(f"{service}/DownloadDataFile", "POST", bearer(self.token),
                    {"competitionName": self.comp, "fileName": "train/y.dcm"})
        self.assertEqual(one.status, 302)
        self.assertEqual(fetch(one.header("Location")).body, b"y")
        self.assertEqual(fetch(f"{service}/DownloadDataFiles", "POST", self.auth,
                               {"competitionName": self.comp}).status, 302)
        refused = fetch(f"{service}/DownloadDataFile", "POST", basic(self.other_user, self.other_key),
                        {"competitionName": self.comp, "fileName": "a.csv"})
        self.assertEqual((refused.status, refused.body), (403, RULES_BODY))
        self.assertEqual(fetch(f"{service}/ListDataFiles", "POST", {}, {"competitionName": self.comp}).status, 401)

    def test_2026_world(self):
        service = f"{self.base}/v1/competitions.CompetitionApiService"
        put(os.path.join(self.dir, "_legacy_401"), "")
        put(os.path.join(self.dir, "_int64_strings"), "")
        self.assertEqual(fetch(self.list_url, headers=self.auth).status, 401)
        listed = fetch(f"{service}/ListDataFiles", "POST", bearer(self.token),
                       {"competitionName": self.comp, "pageSize": 1})
        self.assertEqual(listed.json()["files"][0]["totalBytes"], str(len(self.files["a.csv"])))
        logged = stats("kaggle", f"/v1/competitions.CompetitionApiService/ListDataFiles/{self.comp}")
        self.assertEqual(logged["log"][-1]["rpc_body"], {"competitionName": self.comp, "pageSize": 1})
        put(os.path.join(self.dir, "_ratelimit_download"), "1")
        body = {"competitionName": self.comp, "fileName": "a.csv"}
        limited = fetch(f"{service}/DownloadDataFile", "POST", self.auth, body)
        self.assertEqual((limited.status, limited.json()["error"]["status"]), (429, "RESOURCE_EXHAUSTED"))
        put(os.path.join(self.dir, "_goog_hash_wrong"), "")
        moved = fetch(f"{service}/DownloadDataFile", "POST", self.auth, body)
        self.assertEqual(moved.status, 302)
        served = fetch(moved.header("Location"))
        md5 = base64.b64encode(hashlib.md5(self.files["a.csv"]).digest()).decode()
        self.assertEqual(served.body, self.files["a.csv"])
        self.assertNotIn(f"md5={md5}", ",".join(served.all("x-goog-hash")))
        put(os.path.join(self.dir, "_rpc_absent"), "")
        self.assertEqual(fetch(f"{service}/ListDataFiles", "POST", self.auth, {"competitionName": self.comp}).status,
                         404)

    def test_rate_limit(self):
        put(os.path.join(self.dir, "_ratelimit"), "1")
        r = fetch(self.list_url, headers=self.auth)
        self.assertEqual((r.status, r.header("Retry-After"), r.json()["code"]), (429, "1", 429))
        self.assertEqual(fetch(self.list_url, headers=self.auth).status, 200)


# --- Hugging Face -----------------------------------------------------------------------------------------

class HuggingFace(unittest.TestCase):
    def setUp(self):
        self.owner, self.name = unique("org"), "ct-rate"
        self.repo = f"{self.owner}/{self.name}"
        self.dir = world("huggingface", self.owner, self.name)
        self.readme = put(os.path.join(self.dir, "README.md"), b"# stub dataset card\n")
        self.small = put(os.path.join(self.dir, "dataset", "metadata.csv"), b"volume,label\nv1,0\n")
        self.volume = put(os.path.join(self.dir, "dataset", "train", "train_1_a_1.nii.gz"), random_bytes(3000, 5))
        self.big = put(os.path.join(self.dir, "dataset", "train", "big.bin"), random_bytes(20_000, 6))
        self.token, self.other_token = "hf_" + uuid.uuid4().hex, "hf_" + uuid.uuid4().hex
        put_json(world("huggingface", "_tokens.d", f"{self.owner}.json"), [self.token, self.other_token])
        self.base = STUBS["huggingface"]
        self.auth = bearer(self.token)

    def config(self, **values):
        put_json(os.path.join(self.dir, "_repo.json"), values)

    def test_repo_info(self):
        self.config(gated="manual", approved_tokens=[self.token])
        r = fetch(f"{self.base}/api/datasets/{self.repo}")  # gated repos answer anonymous callers too
        self.assertEqual(r.status, 200)
        info = r.json()
        self.assertEqual((info["id"], info["gated"], info["private"], info["disabled"]),
                         (self.repo, "manual", False, False))
        self.assertRegex(info["sha"], r"^[0-9a-f]{40}$")
        self.assertEqual([s["rfilename"] for s in info["siblings"]],
                         ["README.md", "dataset/metadata.csv", "dataset/train/big.bin",
                          "dataset/train/train_1_a_1.nii.gz"])
        siblings = fetch(f"{self.base}/api/datasets/{self.repo}?blobs=true").json()["siblings"]
        blobs = {s["rfilename"]: s for s in siblings}
        self.assertEqual(blobs["dataset/train/big.bin"]["lfs"]["sha256"], hashlib.sha256(self.big).hexdigest())
        self.assertNotIn("lfs", blobs["README.md"])
        self.assertEqual(fetch(f"{self.base}/api/datasets/{self.repo}/revision/main").status, 200)

    def tree_pages(self, url, headers=None):
        entries, pages = [], 0
        while url:
            r = fetch(url, headers=headers)
            self.assertEqual(r.status, 200, r.body)
            entries.extend(r.json())
            pages += 1
            link = r.header("Link")
            url = None
            if link:
                self.assertTrue(link.endswith('>; rel="next"'), link)
                url = link[1:link.index(">")]
        return entries, pages

    def test_tree_paging_and_lfs_digests(self):
        entries, pages = self.tree_pages(f"{self.base}/api/datasets/{self.repo}/tree/main?recursive=true&expand=false")
        self.assertEqual(pages, 3)  # 6 entries, 2 per page
        by_path = {e["path"]: e for e in entries}
        self.assertEqual(sorted(by_path), ["README.md", "dataset", "dataset/metadata.csv", "dataset/train",
                                           "dataset/train/big.bin", "dataset/train/train_1_a_1.nii.gz"])
        self.assertEqual(by_path["dataset"]["type"], "directory")
        readme = by_path["README.md"]
        self.assertEqual((readme["type"], readme["size"], readme["oid"]),
                         ("file", len(self.readme), git_blob_sha1(self.readme)))
        self.assertNotIn("lfs", readme)
        for path, data in (("dataset/train/big.bin", self.big), ("dataset/train/train_1_a_1.nii.gz", self.volume)):
            entry = by_path[path]  # > 10 KB, and *.nii.gz of any size, are LFS by default
            self.assertEqual(entry["lfs"]["oid"], hashlib.sha256(data).hexdigest())
            self.assertEqual((entry["size"], entry["lfs"]["size"]), (len(data), len(data)))
            self.assertNotEqual(entry["oid"], git_blob_sha1(data))  # the pointer's blob id

    def test_tree_subdirectory_raw_and_encoded(self):
        raw, _ = self.tree_pages(f"{self.base}/api/datasets/{self.repo}/tree/main/dataset/train?recursive=true")
        encoded, _ = self.tree_pages(f"{self.base}/api/datasets/{self.repo}/tree/main/dataset%2Ftrain?"
                                     "recursive=true&expand=false")
        self.assertEqual(raw, encoded)
        self.assertEqual([e["path"] for e in raw], ["dataset/train/big.bin", "dataset/train/train_1_a_1.nii.gz"])
        flat, _ = self.tree_pages(f"{self.base}/api/datasets/{self.repo}/tree/main/dataset?recursive=false")
        self.assertEqual([e["path"] for e in flat], ["dataset/metadata.csv", "dataset/train"])
        expanded, _ = self.tree_pages(f"{self.base}/api/datasets/{self.repo}/tree/main/dataset?expand=true")
        self.assertIn("lastCommit", expanded[0])

    def test_tree_errors_and_revisions(self):
        self.config(revisions=["refs/pr/1", "v1.0"])
        missing = fetch(f"{self.base}/api/datasets/{self.repo}/tree/main/nope")
        self.assertEqual((missing.status, missing.header("X-Error-Code")), (404, "EntryNotFound"))
        bad_rev = fetch(f"{self.base}/api/datasets/{self.repo}/tree/nobranch")
        self.assertEqual((bad_rev.status, bad_rev.header("X-Error-Code")), (404, "RevisionNotFound"))
        for revision in ("refs%2Fpr%2F1", "v1.0"):
            self.assertEqual(fetch(f"{self.base}/api/datasets/{self.repo}/tree/{revision}/dataset").status, 200)
        sha = fetch(f"{self.base}/api/datasets/{self.repo}").json()["sha"]
        self.assertEqual(fetch(f"{self.base}/datasets/{self.repo}/resolve/{sha}/README.md").body, self.readme)

    def test_resolve_regular_file(self):
        url = f"{self.base}/datasets/{self.repo}/resolve/main/dataset/metadata.csv"
        r = fetch(url, headers=self.auth)
        self.assertEqual((r.status, r.body), (200, self.small))
        self.assertEqual(r.header("ETag"), f'"{git_blob_sha1(self.small)}"')
        self.assertRegex(r.header("X-Repo-Commit"), r"^[0-9a-f]{40}$")
        part = fetch(url, headers={"Range": "bytes=5-"})
        self.assertEqual((part.status, part.body), (206, self.small[5:]))
        head = fetch(url, method="HEAD")
        self.assertEqual((head.status, head.header("Content-Length"), head.body), (200, str(len(self.small)), b""))

    def test_resolve_lfs_redirects_to_the_cdn_on_another_host(self):
        url = f"{self.base}/datasets/{self.repo}/resolve/main/dataset/train/big.bin"
        r = fetch(url, headers=self.auth)
        self.assertEqual(r.status, 302)
        sha256 = hashlib.sha256(self.big).hexdigest()
        self.assertEqual(r.header("X-Linked-Etag"), f'"{sha256}"')
        self.assertEqual(r.header("X-Linked-Size"), str(len(self.big)))
        self.assertRegex(r.header("X-Repo-Commit"), r"^[0-9a-f]{40}$")
        self.assertTrue(r.header("Content-Type").startswith("text/plain"))
        location = r.header("Location")
        cdn = urllib.parse.urlsplit(location)
        self.assertEqual(f"{cdn.scheme}://{cdn.netloc}", STUBS["huggingface_alt"])
        self.assertNotEqual(cdn.netloc, urllib.parse.urlsplit(self.base).netloc)
        self.assertNotEqual(cdn.port, urllib.parse.urlsplit(self.base).port)
        head = fetch(url, method="HEAD", headers=self.auth)
        self.assertEqual((head.status, head.header("X-Linked-Size")), (302, str(len(self.big))))

        body = fetch(location)  # a correct client: no Authorization to the other host
        self.assertEqual((body.status, body.body), (200, self.big))
        self.assertIsNone(body.header("X-Linked-Etag"))  # the digest is on the first redirect only
        self.assertNotEqual(body.header("ETag"), f'"{sha256}"')
        part = fetch(location, headers={"Range": "bytes=19990-"})
        self.assertEqual((part.status, part.header("Content-Range"), part.body),
                         (206, "bytes 19990-19999/20000", self.big[19990:]))
        s = stats("huggingface_alt", cdn.path)
        self.assertEqual((s["requests"], s["authorization"]), (2, 0))
        leaked = fetch(location, headers=self.auth)  # a leaking client is refused and recorded (scheme only)
        self.assertEqual(leaked.status, 400)
        s = stats("huggingface_alt", cdn.path)
        self.assertEqual((s["authorization"], s["log"][-1]["auth_scheme"]), (1, "Bearer"))
        self.assertNotIn(self.token, json.dumps(s))
        self.assertEqual(fetch(location.replace("Signature=", "Signature=0")).status, 403)

    def test_gated_repo(self):
        self.config(gated="manual", approved_tokens=[self.token])
        repo = self.repo
        # Anyone may list a gated repository's tree (huggingface/huggingface.js#945); downloads are gated.
        self.assertEqual(fetch(f"{self.base}/api/datasets/{repo}/tree/main").status, 200)
        for url in (f"{self.base}/datasets/{repo}/resolve/main/README.md",
                    f"{self.base}/api/datasets/{repo}/auth-check"):
            anonymous = fetch(url)
            self.assertEqual((anonymous.status, anonymous.header("X-Error-Code")), (401, "GatedRepo"), url)
            self.assertEqual(anonymous.header("X-Error-Message"),
                             f"Access to dataset {repo} is restricted. You must have access to it and be "
                             "authenticated to access it. Please log in.")
            self.assertEqual(anonymous.json()["error"], anonymous.header("X-Error-Message"))
            pending = fetch(url, headers=bearer(self.other_token))
            self.assertEqual((pending.status, pending.header("X-Error-Code")), (403, "GatedRepo"), url)
            self.assertEqual(pending.header("X-Error-Message"),
                             f"Access to dataset {repo} is restricted and you are not in the authorized list. "
                             f"Visit https://huggingface.co/datasets/{repo} to ask for access.")
            self.assertEqual(fetch(url, headers=self.auth).status, 200, url)
        self.config(gated="manual", approved_tokens=[self.token], tree_gated=True)  # the pre-2024-10 Hub
        self.assertEqual(fetch(f"{self.base}/api/datasets/{repo}/tree/main").status, 401)

    def test_list_valued_error_body(self):
        self.config(gated="manual", error_body="list")
        r = fetch(f"{self.base}/api/datasets/{self.repo}/auth-check")
        self.assertEqual((r.status, r.header("X-Error-Code"), r.header("X-Error-Message")), (401, "GatedRepo", None))
        self.assertEqual(r.json(), {"error": [f"Access to dataset {self.repo} is restricted. You must have access "
                                              "to it and be authenticated to access it. Please log in."]})

    def test_bad_token(self):
        r = fetch(f"{self.base}/datasets/{self.repo}/resolve/main/README.md", headers=bearer("hf_bad" + RUN))
        self.assertEqual(r.status, 401)
        self.assertEqual(r.header("X-Error-Message"), "Invalid credentials in Authorization header")
        self.assertIsNone(r.header("X-Error-Code"))
        self.assertEqual(fetch(f"{self.base}/api/whoami-v2", headers=self.auth).json()["name"], "stub-user")
        self.assertEqual(fetch(f"{self.base}/api/whoami-v2").status, 401)

    def test_not_found_errors(self):
        missing_repo = f"{self.base}/datasets/{unique('nobody')}/x/resolve/main/README.md"
        self.assertEqual((fetch(missing_repo).status, fetch(missing_repo).header("X-Error-Code")),
                         (401, "RepoNotFound"))
        with_token = fetch(missing_repo, headers=self.auth)
        self.assertEqual((with_token.status, with_token.header("X-Error-Code")), (404, "RepoNotFound"))
        entry = fetch(f"{self.base}/datasets/{self.repo}/resolve/main/nope.txt")
        self.assertEqual((entry.status, entry.header("X-Error-Code")), (404, "EntryNotFound"))
        revision = fetch(f"{self.base}/datasets/{self.repo}/resolve/v9/README.md")
        self.assertEqual((revision.status, revision.header("X-Error-Code")), (404, "RevisionNotFound"))
        self.config(private=True, approved_tokens=[self.token])
        self.assertEqual(fetch(f"{self.base}/api/datasets/{self.repo}", headers=bearer(self.other_token)).status, 404)
        self.assertEqual(fetch(f"{self.base}/api/datasets/{self.repo}", headers=self.auth).status, 200)

    def test_disabled(self):
        self.config(disabled=True)
        r = fetch(f"{self.base}/datasets/{self.repo}/resolve/main/README.md", headers=self.auth)
        self.assertEqual((r.status, r.header("X-Error-Message")), (403, "Access to this resource is disabled."))

    def test_lfs_globs_and_resolve_cache(self):
        self.config(lfs=["*.csv"], resolve_cache=True)
        self.assertEqual(fetch(f"{self.base}/datasets/{self.repo}/resolve/main/dataset/metadata.csv").status, 302)
        r = fetch(f"{self.base}/datasets/{self.repo}/resolve/main/dataset/train/big.bin")
        self.assertEqual(r.status, 307)  # no longer LFS: a relative redirect to be followed with the same auth
        self.assertTrue(r.header("Location").startswith(f"/api/resolve-cache/datasets/{self.repo}/"))
        cached = fetch(STUBS["huggingface"] + r.header("Location"))
        self.assertEqual((cached.status, cached.body), (200, self.big))

    def test_rate_limit(self):
        put(os.path.join(self.dir, "_ratelimit"), "1")
        r = fetch(f"{self.base}/api/datasets/{self.repo}/tree/main")
        self.assertEqual((r.status, r.header("Retry-After")), (429, "1"))
        self.assertIn("r=0", r.header("RateLimit"))
        self.assertEqual(fetch(f"{self.base}/api/datasets/{self.repo}/tree/main").status, 200)


# --- IDC --------------------------------------------------------------------------------------------------

class Idc(unittest.TestCase):
    def setUp(self):
        self.bucket = f"idc-open-{RUN}-{uuid.uuid4().hex[:6]}"
        self.series = str(uuid.uuid4())
        self.objects = {f"{self.series}/{uuid.uuid4()}.dcm": random_bytes(1000 + i, 10 + i) for i in range(5)}
        for name, data in self.objects.items():
            put(world("idc", self.bucket, *name.split("/")), data)
        put(world("idc", self.bucket, "other-series", "x.dcm"), b"other")
        self.base = STUBS["idc"]

    def list_all(self, extra=""):
        items, token, pages = [], None, 0
        while True:
            query = f"prefix={self.series}/{extra}" + (f"&pageToken={token}" if token else "")
            r = fetch(f"{self.base}/storage/v1/b/{self.bucket}/o?{query}")
            self.assertEqual(r.status, 200, r.body)
            document = r.json()
            pages += 1
            items.extend(document.get("items", []))
            token = document.get("nextPageToken")
            if not token:
                return items, pages

    def test_listing_paging_and_digests(self):
        items, pages = self.list_all()
        self.assertEqual(pages, 3)  # 5 objects, 2 per page by default
        self.assertEqual(sorted(i["name"] for i in items), sorted(self.objects))
        for item in items:
            data = self.objects[item["name"]]
            self.assertEqual(item["kind"], "storage#object")
            self.assertEqual(item["size"], str(len(data)))  # a string
            self.assertEqual(item["md5Hash"], base64.b64encode(hashlib.md5(data).digest()).decode())
            self.assertEqual(item["crc32c"], base64.b64encode(crc32c(data).to_bytes(4, "big")).decode())
            self.assertEqual(item["contentType"], "application/dicom")
            self.assertIsInstance(item["generation"], str)
            media = fetch(item["mediaLink"])
            self.assertEqual((media.status, media.body), (200, data))
            quoted = urllib.parse.quote(item["name"], safe="")
            self.assertEqual(item["mediaLink"], f"{self.base}/download/storage/v1/b/{self.bucket}/o/{quoted}"
                                                f"?generation={item['generation']}&alt=media")
        items, pages = self.list_all("&maxResults=1")
        self.assertEqual((len(items), pages), (5, 5))

    def test_fields_delimiter_and_empty(self):
        r = fetch(f"{self.base}/storage/v1/b/{self.bucket}/o?prefix={self.series}/&maxResults=1000&"
                  "fields=items(name,size,md5Hash,crc32c,mediaLink),nextPageToken")
        self.assertEqual(set(r.json()["items"][0]), {"name", "size", "md5Hash", "crc32c", "mediaLink"})
        top = fetch(f"{self.base}/storage/v1/b/{self.bucket}/o?delimiter=/&maxResults=10").json()
        self.assertEqual(sorted(top["prefixes"]), sorted(["other-series/", f"{self.series}/"]))
        self.assertNotIn("items", top)
        empty = fetch(f"{self.base}/storage/v1/b/{self.bucket}/o?prefix=nothing-here/").json()
        self.assertEqual(empty, {"kind": "storage#objects"})

    def test_simple_download_with_range_and_hashes(self):
        name, data = sorted(self.objects.items())[0]
        r = fetch(f"{self.base}/{self.bucket}/{name}")
        self.assertEqual((r.status, r.body), (200, data))
        hashes = ",".join(r.all("x-goog-hash"))
        self.assertIn("md5=" + base64.b64encode(hashlib.md5(data).digest()).decode(), hashes)
        self.assertIn("crc32c=" + base64.b64encode(crc32c(data).to_bytes(4, "big")).decode(), hashes)
        self.assertEqual(r.header("x-goog-stored-content-length"), str(len(data)))
        part = fetch(f"{self.base}/{self.bucket}/{name}", headers={"Range": "bytes=10-19"})
        self.assertEqual((part.status, part.header("Content-Range"), part.body),
                         (206, f"bytes 10-19/{len(data)}", data[10:20]))
        self.assertEqual(fetch(f"{self.base}/{self.bucket}/{self.series}/missing.dcm").status, 404)

    def test_missing_bucket_and_generation(self):
        r = fetch(f"{self.base}/storage/v1/b/no-such-bucket-{RUN}/o?prefix=x/")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json()["error"]["code"], 404)
        name = sorted(self.objects)[0]
        quoted = urllib.parse.quote(name, safe="")
        self.assertEqual(fetch(f"{self.base}/download/storage/v1/b/{self.bucket}/o/{quoted}?generation=1&alt=media")
                         .status, 404)

    def test_composite_objects_have_no_md5(self):
        put(world("idc", self.bucket, "_composite"), "")
        items, _ = self.list_all()
        self.assertTrue(all("md5Hash" not in i and "crc32c" in i for i in items))
        r = fetch(f"{self.base}/{self.bucket}/{items[0]['name']}")
        self.assertFalse(any("md5=" in h for h in r.all("x-goog-hash")))

    def test_rate_limit(self):
        put(world("idc", self.bucket, "_ratelimit"), "1")
        r = fetch(f"{self.base}/storage/v1/b/{self.bucket}/o?prefix={self.series}/")
        self.assertEqual((r.status, r.header("Retry-After"), r.json()["error"]["code"]), (429, "1", 429))
        self.assertEqual(fetch(f"{self.base}/storage/v1/b/{self.bucket}/o?prefix={self.series}/").status, 200)


# --- common -----------------------------------------------------------------------------------------------

class Tcia(unittest.TestCase):
    def setUp(self):
        self.unit = unique("nbia")
        self.base = f"{STUBS['tcia']}/{self.unit}/nbia-api/services/v1"
        self.uid = f"1.2.840.{random.SystemRandom().randrange(10**9)}"
        self.files = [random_bytes(700 + i, 40 + i) for i in range(3)]
        for i, data in enumerate(self.files):
            put(world("tcia", self.unit, self.uid, f"f{i}.dcm"), data)
        put_json(world("tcia", self.unit, "series.json"),
                 [{"SeriesInstanceUID": self.uid, "Collection": "LIDC-IDRI", "PatientID": "P1", "Modality": "CT",
                   "ImageCount": 3, "FileSize": sum(map(len, self.files))}])

    def test_get_series_filters_and_answers_empty_for_no_match(self):
        r = fetch(f"{self.base}/getSeries?Collection=LIDC-IDRI")
        self.assertEqual((r.status, r.json()[0]["SeriesInstanceUID"]), (200, self.uid))
        none = fetch(f"{self.base}/getSeries?Collection=NOPE")
        self.assertEqual((none.status, none.body), (200, b""))
        self.assertEqual(fetch(f"{self.base}/getSeries?Colection=LIDC-IDRI").status, 400)

    def test_series_zip_is_streamed_with_md5_list(self):
        r = fetch(f"{self.base}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}")
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.header("Content-Length"))
        self.assertEqual(r.header("Transfer-Encoding"), "chunked")
        self.assertEqual(r.header("Content-Disposition"), f'attachment; filename="{self.uid}.zip"')
        with zipfile.ZipFile(io.BytesIO(r.body)) as archive:
            names = archive.namelist()
            self.assertEqual(names, ["00000001.dcm", "00000002.dcm", "00000003.dcm", "md5hashes.csv"])
            self.assertTrue(all(info.flag_bits & 0x08 for info in archive.infolist()))  # data descriptors
            lines = archive.read("md5hashes.csv").decode().splitlines()
            self.assertEqual(lines[0], "Filename,MD5Hash")
            listed = dict(line.split(",") for line in lines[1:])
            for i, data in enumerate(self.files):
                self.assertEqual(archive.read(f"{i + 1:08d}.dcm"), data)
                self.assertEqual(listed[f"{i + 1:08d}.dcm"], hashlib.md5(data).hexdigest())

    def test_corrupt_restricted_and_unknown_series(self):
        put(world("tcia", self.unit, "_corrupt"), f"{self.uid}/f1.dcm\n")
        r = fetch(f"{self.base}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}")
        with zipfile.ZipFile(io.BytesIO(r.body)) as archive:
            listed = dict(line.split(",") for line in archive.read("md5hashes.csv").decode().splitlines()[1:])
            self.assertNotEqual(archive.read("00000002.dcm"), self.files[1])
            self.assertEqual(listed["00000002.dcm"], hashlib.md5(self.files[1]).hexdigest())
        unknown = fetch(f"{self.base}/getImageWithMD5Hash?SeriesInstanceUID=9.9.9")
        with zipfile.ZipFile(io.BytesIO(unknown.body)) as archive:
            self.assertEqual(archive.namelist(), ["md5hashes.csv"])
        put(world("tcia", self.unit, "_restricted"), f"{self.uid}\n")
        closed = fetch(f"{self.base}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}")
        self.assertEqual((closed.status, closed.body),
                         (400, f"Image with given SeriesInstanceUID,{self.uid}, is not in public domain.".encode()))
        self.assertEqual(fetch(f"{self.base}/getImageWithMD5Hash").status, 400)


    def test_v4_renames_fields_is_strict_and_words_refusals_its_own_way(self):
        v4 = self.base.replace("/v1", "/v4")
        put_json(world("tcia", self.unit, "series.json"),
                 [{"SeriesInstanceUID": self.uid, "Collection": "LIDC-IDRI", "TimeStamp": "t", "CollectionURI": "u"}])
        row = fetch(f"{v4}/getSeries?Collection=LIDC-IDRI").json()[0]
        self.assertEqual((row["MaxSubmissionTimestamp"], row["DataDescriptionURI"]), ("t", "u"))
        self.assertNotIn("TimeStamp", row)
        self.assertEqual(fetch(f"{v4}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}&NewFileNames=Yes").status, 400)
        put(world("tcia", self.unit, "_restricted"), f"{self.uid}\n")
        closed = fetch(f"{v4}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}")
        self.assertEqual((closed.status, closed.body), (400, b"The user has not been granted the access"))
        put(world("tcia", self.unit, "_v4_gone"), "")
        self.assertEqual(fetch(f"{v4}/getSeries?Collection=LIDC-IDRI").status, 404)
        self.assertEqual(fetch(f"{self.base}/getSeries?Collection=LIDC-IDRI").status, 200)

    def test_nlst_has_its_own_host(self):
        # NLST's series live under <world>/tcia_nlst on a server of its own (api-drift-2026.md §1.4).
        put_json(world("tcia_nlst", self.unit, "series.json"), [{"SeriesInstanceUID": self.uid, "Collection": "NLST"}])
        put(world("tcia_nlst", self.unit, self.uid, "f0.dcm"), b"DICM")
        nlst = f"{STUBS['tcia_nlst']}/{self.unit}/nbia-api/services/v4"
        self.assertEqual(fetch(f"{nlst}/getSeries?Collection=NLST").json()[0]["SeriesInstanceUID"], self.uid)
        self.assertEqual(fetch(f"{nlst}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}").status, 200)
        main = fetch(f"{STUBS['tcia']}/{self.unit}/nbia-api/services/v4/getSeries?Collection=NLST")
        self.assertEqual((main.status, main.body), (200, b""))


class Common(unittest.TestCase):
    SERVERS = ("zenodo", "physionet", "kaggle", "huggingface", "huggingface_alt", "idc", "idc_api", "tcia", "tcia_nlst")

    def test_contract_keys(self):
        for key in ("zenodo", "physionet", "kaggle", "huggingface", "idc", "idc_api", "tcia", "tcia_nlst"):
            self.assertRegex(STUBS[key], r"^http://127\.0\.0\.1:[0-9]+$")
        self.assertRegex(STUBS["huggingface_alt"], r"^http://localhost:[0-9]+$")
        ports = {urllib.parse.urlsplit(STUBS[k]).port for k in self.SERVERS}
        self.assertEqual(len(ports), len(self.SERVERS))
        self.assertTrue(os.path.isdir(STUBS["world"]))

    def test_health_stats_and_reset(self):
        for key in self.SERVERS:
            self.assertEqual(fetch(f"{STUBS[key]}/__health").body, b"ok\n")
        path = f"/api/records/{unique_record()}"
        fetch(f"{STUBS['zenodo']}{path}", headers={"Authorization": "Bearer zz-" + RUN})
        SECRETS.append("zz-" + RUN)
        s = stats("zenodo", path)
        self.assertEqual((s["requests"], s["statuses"], s["authorization"]), (1, [404], 1))
        self.assertEqual(s["log"][0]["auth_scheme"], "Bearer")
        self.assertEqual(fetch(f"{STUBS['zenodo']}/__reset?path={urllib.parse.quote(path)}", method="POST").status,
                         200)
        self.assertEqual(stats("zenodo", path)["requests"], 0)
        self.assertEqual(fetch(f"{STUBS['zenodo']}/__reset").status, 405)

    def test_logs_written_and_free_of_secrets(self):
        marker = f"logged-{RUN}"
        fetch(f"{STUBS['idc']}/storage/v1/b/{marker}/o")
        deadline = time.monotonic() + 10
        while True:
            with open(STUBS["logs"]["idc"], encoding="utf-8") as f:
                if marker in f.read():
                    break
            self.assertLess(time.monotonic(), deadline, "request not logged")
            time.sleep(0.05)


def check_no_secret_logged():
    """After all tests: no credential sent by this run appears in any stub log or /__stats."""
    texts = []
    for path in STUBS["logs"].values():
        with open(path, encoding="utf-8") as f:
            texts.append(f.read())
    for key in ("zenodo", "physionet", "kaggle", "huggingface", "huggingface_alt", "idc"):
        texts.append(fetch(f"{STUBS[key]}/__stats").body.decode())
    everything = "\n".join(texts)
    leaked = [s for s in SECRETS if s in everything]
    if leaked:
        print(f"test_provider_stubs: {len(leaked)} secret(s) found in stub logs or stats: "
              + ", ".join(f"{s[:3]}… ({len(s)} chars)" for s in leaked), file=sys.stderr)
        return False
    return True


def main():
    stubs, exit_code = read_fixture_state("test_provider_stubs", "CXRCAT_PROVIDER_STUBS", "providers.json")
    if stubs is None:
        return exit_code
    STUBS.update(stubs)
    program = unittest.main(argv=sys.argv, exit=False, verbosity=2)
    clean = check_no_secret_logged()
    return 0 if program.result.wasSuccessful() and clean else 1


if __name__ == "__main__":
    sys.exit(main())
