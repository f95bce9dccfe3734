# SPDX-License-Identifier: Apache-2.0
"""Kaggle stub checks."""
import base64
import hashlib
import io
import json
import os
import unittest
import urllib.parse
import uuid
import zipfile

from stub_checks.common import STUBS, RUN, fetch, basic, bearer, world, put, put_json, random_bytes, unique, stats


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
