# SPDX-License-Identifier: Apache-2.0
"""Zenodo stub checks."""
import hashlib
import http.client
import os
import unittest
import uuid

from stub_checks.common import STUBS, SECRETS, fetch, world, put, put_json, random_bytes, unique_record, stats


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
