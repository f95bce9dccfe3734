# SPDX-License-Identifier: Apache-2.0
"""Hugging Face stub checks."""
import hashlib
import json
import os
import unittest
import urllib.parse
import uuid

from stub_checks.common import (STUBS, RUN, fetch, bearer, world,
                                put, put_json, random_bytes, unique, stats, git_blob_sha1)


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
