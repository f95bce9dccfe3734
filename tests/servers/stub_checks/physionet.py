# SPDX-License-Identifier: Apache-2.0
"""PhysioNet stub checks."""
import hashlib
import json
import os
import unittest
import uuid

from stub_checks.common import STUBS, RUN, fetch, basic, world, put, put_json, random_bytes, unique, stats


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
