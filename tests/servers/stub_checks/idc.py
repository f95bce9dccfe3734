# SPDX-License-Identifier: Apache-2.0
"""IDC stub checks (the API and the bucket)."""
import base64
import hashlib
import unittest
import urllib.parse
import uuid

from stub_checks.common import STUBS, RUN, fetch, world, put, random_bytes, crc32c


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
