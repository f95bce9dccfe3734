#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Smoke test of the loopback test servers: every behaviour promised in tests/servers/README.md.

Usage: CXRCAT_TEST_SERVERS=STATE_DIR/servers.json test_servers.py [unittest options]
Uses the curl command line (what libcurl users see) against nginx and fault_server.py.
Exits 77 (skipped) when servers.json is absent, unless CXRCAT_REQUIRE_SERVERS=1, which makes that a failure.
Safe to run while other tests use the same servers: it works on its own files and counter paths only.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fixture_state import read_fixture_state  # noqa: E402  (beside this file)

SERVERS = {}
RUN = uuid.uuid4().hex[:12]
CURL_ENV = {k: v for k, v in os.environ.items()
            if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "curl_ca_bundle",
                                 "ssl_cert_file", "ssl_cert_dir", "curl_home")}


class Response:
    def __init__(self, rc, status, headers, body, stderr, elapsed):
        self.rc, self.status, self.headers, self.body, self.stderr, self.elapsed = (
            rc, status, headers, body, stderr, elapsed)

    def header(self, name):
        return self.headers.get(name.lower())


def curl(url, *args, env=None, stdin=None, timeout=60):
    """Runs curl once; headers are those of the last response (after redirects)."""
    with tempfile.TemporaryDirectory(prefix="cxrcat-smoke-") as tmp:
        head, body = os.path.join(tmp, "headers"), os.path.join(tmp, "body")
        command = ["curl", "-q", "-sS", "--noproxy", "*", "-D", head, "-o", body, "-w", "%{http_code}", *args, url]
        started = time.monotonic()
        result = subprocess.run(command, input=stdin, capture_output=True, env=env or CURL_ENV, timeout=timeout,
                                check=False)
        elapsed = time.monotonic() - started
        headers = {}
        if os.path.exists(head):
            with open(head, "rb") as f:
                blocks = [b for b in f.read().decode("latin-1").split("\r\n\r\n") if b.strip()]
            for line in (blocks[-1].split("\r\n")[1:] if blocks else []):
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        data = b""
        if os.path.exists(body):
            with open(body, "rb") as f:
                data = f.read()
        status = int(result.stdout.decode() or 0)
        return Response(result.returncode, status, headers, data, result.stderr.decode(errors="replace"), elapsed)


def file_bytes(name):
    with open(os.path.join(SERVERS["www"], name), "rb") as f:
        return f.read()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def rate_bytes(rate):
    """nginx size syntax (512k, 4m, 1000) to bytes per second."""
    factor = {"k": 1024, "m": 1024 * 1024}.get(rate[-1].lower(), 1)
    return int(rate.rstrip("kKmM")) * factor


def stats(path):
    result = curl(f"{SERVERS['fault']}/__stats?path={urllib.parse.quote(path)}")
    assert result.status == 200, result.stderr
    return json.loads(result.body).get(path, {"requests": 0, "bytes_sent": 0, "ranges": [], "log": []})


def wait_for(description, predicate, timeout=10.0):
    """Polls predicate() until it returns a true value; fails after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)  # polling interval with a deadline
    raise AssertionError(f"timed out waiting for {description}")


class Nginx(unittest.TestCase):
    def test_whole_file_with_validators(self):
        r = curl(f"{SERVERS['http']}/files/small.bin")
        self.assertEqual((r.rc, r.status), (0, 200), r.stderr)
        self.assertEqual(sha256(r.body), SERVERS["files"]["small.bin"]["sha256"])
        self.assertEqual(len(r.body), SERVERS["files"]["small.bin"]["size"])
        self.assertTrue(r.header("etag"))
        self.assertTrue(r.header("last-modified"))
        self.assertEqual(r.header("accept-ranges"), "bytes")
        self.assertEqual(r.header("content-type"), "application/octet-stream")

    def test_content_types(self):
        self.assertEqual(curl(f"{SERVERS['http']}/files/sample.zip").header("content-type"), "application/zip")
        self.assertEqual(curl(f"{SERVERS['http']}/files/sample.tar.gz").header("content-type"), "application/gzip")

    def test_range_gives_206(self):
        r = curl(f"{SERVERS['http']}/files/small.bin", "-r", "100-199")
        self.assertEqual(r.status, 206)
        self.assertEqual(r.header("content-range"), f"bytes 100-199/{SERVERS['files']['small.bin']['size']}")
        self.assertEqual(r.body, file_bytes("small.bin")[100:200])

    def test_if_range(self):
        etag = curl(f"{SERVERS['http']}/files/small.bin", "-I").header("etag")
        same = curl(f"{SERVERS['http']}/files/small.bin", "-r", "10-19", "-H", f"If-Range: {etag}")
        self.assertEqual((same.status, same.body), (206, file_bytes("small.bin")[10:20]))
        stale = curl(f"{SERVERS['http']}/files/small.bin", "-r", "10-19", "-H", 'If-Range: "stale"')
        self.assertEqual((stale.status, len(stale.body)), (200, SERVERS["files"]["small.bin"]["size"]))

    def test_https_needs_the_test_ca(self):
        url = f"{SERVERS['https']}/files/hello.txt"
        refused = curl(url)
        self.assertEqual(refused.rc, 60, f"curl without --cacert must fail verification: {refused.stderr}")
        accepted = curl(url, "--cacert", SERVERS["ca_cert"])
        self.assertEqual((accepted.rc, accepted.status, accepted.body), (0, 200, file_bytes("hello.txt")))
        by_env = curl(url, env={**CURL_ENV, "CURL_CA_BUNDLE": SERVERS["ca_cert"]})
        self.assertEqual((by_env.rc, by_env.status), (0, 200), by_env.stderr)
        port = urllib.parse.urlsplit(SERVERS["https"]).port
        by_ip = curl(f"https://127.0.0.1:{port}/files/hello.txt", "--cacert", SERVERS["ca_cert"])
        self.assertEqual((by_ip.rc, by_ip.status), (0, 200), by_ip.stderr)

    def test_https_range(self):
        r = curl(f"{SERVERS['https']}/files/medium.bin", "--cacert", SERVERS["ca_cert"], "-r", "1000-")
        self.assertEqual(r.status, 206)
        self.assertEqual(r.body, file_bytes("medium.bin")[1000:])

    def test_basic_auth(self):
        url = f"{SERVERS['http']}/auth/hello.txt"
        anonymous = curl(url)
        self.assertEqual(anonymous.status, 401)
        self.assertIn("Basic", anonymous.header("www-authenticate") or "")
        wrong = curl(url, "-K", "-", stdin=f'user = "{SERVERS["auth_user"]}:wrong"\n'.encode())
        self.assertEqual(wrong.status, 401)
        right = curl(url, "-K", "-", stdin=f'user = "{SERVERS["auth_user"]}:{SERVERS["auth_password"]}"\n'.encode())
        self.assertEqual((right.status, right.body), (200, file_bytes("hello.txt")))

    # nginx's limit_rate lets rate × (whole seconds elapsed + 1) bytes out, so the first second's worth
    # leaves at once and a transfer of n bytes takes about n / rate - 1 seconds.

    def test_slow_is_rate_limited(self):
        rate = rate_bytes(SERVERS["slow_rate"])
        length = min(SERVERS["files"]["large.bin"]["size"], int(2.5 * rate))
        expected = length / rate - 1
        r = curl(f"{SERVERS['http']}/slow/large.bin", "-r", f"0-{length - 1}")
        self.assertEqual((r.status, r.body), (206, file_bytes("large.bin")[:length]))
        if expected > 0.3:
            self.assertGreater(r.elapsed, 0.7 * expected, "the /slow/ rate limit did not apply")
        override = curl(f"{SERVERS['http']}/slow/small.bin?rate=50k")
        self.assertEqual((override.status, override.body), (200, file_bytes("small.bin")))
        self.assertGreater(override.elapsed, 0.7 * (100_003 / 51_200 - 1), "?rate= did not apply")

    def test_throttled_is_per_connection(self):
        connections = 3
        rate = rate_bytes(SERVERS["throttle_rate"])
        length = min(SERVERS["files"]["large.bin"]["size"] // connections, 2 * rate)
        expected = length / rate - 1
        if expected < 0.3:
            self.skipTest(f"throttle rate {SERVERS['throttle_rate']} is too fast to measure with large.bin")
        results = [None] * connections

        def fetch(index):
            results[index] = curl(f"{SERVERS['http']}/throttled/large.bin", "-r",
                                  f"{index * length}-{(index + 1) * length - 1}")

        started = time.monotonic()
        threads = [threading.Thread(target=fetch, args=(i,)) for i in range(connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
        data = file_bytes("large.bin")
        for index, r in enumerate(results):
            self.assertEqual((r.status, r.body), (206, data[index * length:(index + 1) * length]))
            self.assertGreater(r.elapsed, 0.6 * expected, "the /throttled/ rate limit did not apply")
        # One limit shared by all connections would need connections * length / rate - 1 seconds.
        shared = connections * length / rate - 1
        self.assertLess(wall, (expected + shared) / 2, "the connections were not throttled independently")

    def test_access_log_records_requests(self):
        agent = f"cxrcat-smoke/{RUN}"
        r = curl(f"{SERVERS['http']}/files/small.bin?smoke={RUN}", "-r", "0-9", "-A", agent)
        self.assertEqual(r.status, 206)

        def entry():
            with open(SERVERS["access_log"], encoding="utf-8") as f:
                for line in f:
                    record = json.loads(line)
                    if record["user_agent"] == agent:
                        return record
            return None

        record = wait_for("the access log entry", entry)
        self.assertEqual(record["method"], "GET")
        self.assertEqual(record["uri"], f"/files/small.bin?smoke={RUN}")
        self.assertEqual(record["path"], "/files/small.bin")
        self.assertEqual(record["status"], 206)
        self.assertEqual(record["body_bytes_sent"], 10)
        self.assertEqual(record["range"], "bytes=0-9")

    def test_ipv6_loopback(self):
        if not SERVERS["ipv6"]:
            self.skipTest("no IPv6 loopback on this machine")
        port = urllib.parse.urlsplit(SERVERS["http"]).port
        r = curl(f"http://[::1]:{port}/files/hello.txt", "-g")
        self.assertEqual((r.status, r.body), (200, file_bytes("hello.txt")))


class Fault(unittest.TestCase):
    """Counter paths use a file private to this run, so parallel tests never share a counter."""

    @classmethod
    def setUpClass(cls):
        cls.dir = f"smoke-{RUN}"
        os.makedirs(os.path.join(SERVERS["www"], cls.dir))
        cls.data = os.urandom(300_001)
        with open(os.path.join(SERVERS["www"], cls.dir, "data.bin"), "wb") as f:
            f.write(cls.data)
        cls.name = f"{cls.dir}/data.bin"

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(os.path.join(SERVERS["www"], cls.dir), ignore_errors=True)

    def url(self, mode, name=None):
        return f"{SERVERS['fault']}/{mode}/{name or self.name}"

    def test_ok_whole_and_headers(self):
        r = curl(self.url("ok"))
        self.assertEqual((r.rc, r.status, r.body), (0, 200, self.data))
        self.assertEqual(r.header("accept-ranges"), "bytes")
        self.assertTrue(r.header("etag"))
        self.assertTrue(r.header("last-modified"))
        head = curl(self.url("ok"), "-I")
        self.assertEqual((head.status, head.header("content-length")), (200, str(len(self.data))))

    def test_ok_ranges(self):
        size = len(self.data)
        r = curl(self.url("ok"), "-r", "1000-1999")
        self.assertEqual((r.status, r.body), (206, self.data[1000:2000]))
        self.assertEqual(r.header("content-range"), f"bytes 1000-1999/{size}")
        open_end = curl(self.url("ok"), "-r", "299990-")
        self.assertEqual((open_end.status, open_end.body), (206, self.data[299990:]))
        suffix = curl(self.url("ok"), "-r", "-5")
        self.assertEqual((suffix.status, suffix.body), (206, self.data[-5:]))
        beyond = curl(self.url("ok"), "-r", f"{size}-")
        self.assertEqual((beyond.status, beyond.header("content-range")), (416, f"bytes */{size}"))

    def test_ok_if_range(self):
        etag = curl(self.url("ok"), "-I").header("etag")
        same = curl(self.url("ok"), "-r", "5-9", "-H", f"If-Range: {etag}")
        self.assertEqual((same.status, same.body), (206, self.data[5:10]))
        stale = curl(self.url("ok"), "-r", "5-9", "-H", 'If-Range: "something-else"')
        self.assertEqual((stale.status, stale.body), (200, self.data))

    def test_drop_sends_half_then_closes(self):
        r = curl(self.url("drop"))
        self.assertEqual((r.rc, r.status), (18, 200), r.stderr)  # CURLE_PARTIAL_FILE
        self.assertEqual(r.header("content-length"), str(len(self.data)))
        self.assertEqual(r.body, self.data[:len(self.data) // 2])
        ranged = curl(self.url("drop"), "-r", "1000-1999")
        self.assertEqual((ranged.rc, ranged.status, ranged.body), (18, 206, self.data[1000:1500]))

    def test_dropfirst_then_ok(self):
        first = curl(self.url("dropfirst/1"))
        self.assertEqual(first.rc, 18)
        second = curl(self.url("dropfirst/1"))
        self.assertEqual((second.rc, second.status, second.body), (0, 200, self.data))

    def test_wrong_flips_one_byte(self):
        r = curl(self.url("wrong"))
        self.assertEqual((r.rc, r.status, len(r.body)), (0, 200, len(self.data)))
        differing = [i for i, (a, b) in enumerate(zip(r.body, self.data)) if a != b]
        self.assertEqual(differing, [len(self.data) // 2])

    def test_html_login_page(self):
        r = curl(self.url("html"), "-r", "0-99")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("content-type").startswith("text/html"))
        self.assertTrue(r.body.startswith(b"<!DOCTYPE html>"))
        self.assertIn(b"Sign in", r.body)

    def test_ratelimit_then_ok(self):
        statuses = []
        for _ in range(3):
            r = curl(self.url("ratelimit/2"))
            statuses.append(r.status)
            if r.status == 429:
                self.assertEqual(r.header("retry-after"), "1")
        self.assertEqual(statuses, [429, 429, 200])
        self.assertEqual(r.body, self.data)

    def test_unavailable_then_ok(self):
        statuses = [curl(self.url("unavailable/3")).status for _ in range(4)]
        self.assertEqual(statuses, [503, 503, 503, 200])

    def test_stall_keeps_socket_open(self):
        timed_out = curl(self.url("stall"), "-m", "1.5")
        self.assertEqual(timed_out.rc, 28, timed_out.stderr)  # CURLE_OPERATION_TIMEDOUT
        self.assertEqual(timed_out.body, self.data[:64 * 1024])
        # The server notices the client hanging up instead of holding a thread for 30 s.
        wait_for("the stalled handler to see the client go",
                 lambda: any(e.get("client_gone") for e in stats(f"/stall/{self.name}")["log"]))
        closed = curl(self.url("stall") + "?seconds=1")
        self.assertEqual(closed.rc, 18, closed.stderr)
        self.assertGreater(closed.elapsed, 0.9)
        self.assertEqual(closed.body, self.data[:64 * 1024])

    def test_stallfirst_then_ok(self):
        first = curl(self.url("stallfirst/1") + "?seconds=0.2")
        self.assertEqual(first.rc, 18)
        second = curl(self.url("stallfirst/1") + "?seconds=0.2")
        self.assertEqual((second.rc, second.body), (0, self.data))

    def test_norange_ignores_range(self):
        r = curl(self.url("norange"), "-r", "10-19")
        self.assertEqual((r.status, r.body), (200, self.data))
        self.assertIsNone(r.header("accept-ranges"))

    def test_etag_change(self):
        first = curl(self.url("etag-change"), "-I")
        second = curl(self.url("etag-change"), "-I")
        self.assertNotEqual(first.header("etag"), second.header("etag"))
        self.assertNotEqual(first.header("last-modified"), second.header("last-modified"))
        plain_range = curl(self.url("etag-change"), "-r", "10-19")
        self.assertEqual((plain_range.status, plain_range.body), (206, self.data[10:20]))
        for validator in (second.header("etag"), second.header("last-modified")):
            guarded = curl(self.url("etag-change"), "-r", "10-19", "-H", f"If-Range: {validator}")
            self.assertEqual((guarded.status, guarded.body), (200, self.data))

    def test_status_codes(self):
        for code in (401, 403, 404, 410, 500):
            r = curl(self.url(f"status/{code}"))
            self.assertEqual(r.status, code)
            self.assertIn(f"status {code}".encode(), r.body)
        self.assertIn("Basic", curl(self.url("status/401")).header("www-authenticate"))

    def test_cross_host_redirect(self):
        target = f"{SERVERS['fault_alt']}/ok/{self.name}"
        redirect = f"{SERVERS['fault']}/redirect/{urllib.parse.quote(target, safe='')}"
        plain = curl(redirect)
        self.assertEqual((plain.status, plain.header("location")), (302, target))
        self.assertEqual(curl(redirect + "?code=307").status, 307)
        followed = curl(redirect, "-L", "-K", "-", stdin=b'user = "someone:secret"\n')
        self.assertEqual((followed.status, followed.body), (200, self.data))
        redirect_path = urllib.parse.urlsplit(redirect).path
        self.assertEqual(stats(redirect_path)["authorization"], 1)
        target_log = stats(f"/ok/{self.name}")["log"]
        self.assertEqual(target_log[-1]["host"], urllib.parse.urlsplit(SERVERS["fault_alt"]).netloc)
        self.assertFalse(target_log[-1]["authorization"], "curl forwarded credentials to another host")
        outside = f"{SERVERS['fault']}/redirect/{urllib.parse.quote('http://example.com/', safe='')}"
        self.assertEqual(curl(outside).status, 400)

    def test_stats_and_reset(self):
        name = f"{self.dir}/data.bin"
        path = f"/ok/{name}"
        curl(self.url("ok", name), "-r", "0-99")
        curl(self.url("ok", name))
        counted = stats(path)
        self.assertGreaterEqual(counted["requests"], 2)
        self.assertIn("bytes=0-99", counted["ranges"])
        self.assertGreaterEqual(counted["bytes_sent"], 100 + len(self.data))
        reset = curl(f"{SERVERS['fault']}/__reset?path={urllib.parse.quote(path)}", "-X", "POST")
        self.assertEqual(reset.status, 200)
        self.assertEqual(stats(path)["requests"], 0)
        self.assertEqual(curl(f"{SERVERS['fault']}/__reset").status, 405)

    def test_rejects_unknown_and_escaping_paths(self):
        self.assertEqual(curl(f"{SERVERS['fault']}/nonsense/{self.name}").status, 404)
        self.assertEqual(curl(f"{SERVERS['fault']}/ok/..%2F..%2Fetc%2Fpasswd", "--path-as-is").status, 404)
        self.assertEqual(curl(f"{SERVERS['fault']}/ok/missing-{RUN}.bin").status, 404)

    def test_alt_host_name_reaches_the_same_server(self):
        r = curl(f"{SERVERS['fault_alt']}/ok/{self.name}")
        self.assertEqual((r.status, r.body), (200, self.data))

    def test_request_log_file(self):
        curl(self.url("ok") + f"?logged={RUN}")

        def logged():
            with open(SERVERS["fault_log"], encoding="utf-8") as f:
                return any(f"logged={RUN}" in line for line in f)

        wait_for("the fault server log line", logged)


def main():
    servers, exit_code = read_fixture_state("test_servers", "CXRCAT_TEST_SERVERS", "servers.json")
    if servers is None:
        return exit_code
    if shutil.which("curl") is None:
        print("test_servers: curl not found (scripts/install-deps --test)", file=sys.stderr)
        return 1
    SERVERS.update(servers)
    program = unittest.main(argv=sys.argv, exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
