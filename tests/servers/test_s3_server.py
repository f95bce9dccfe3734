#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Proves what s3_fixture.py promises (tests/servers/README.md, "S3"), with two independent clients:
Debian's s3cmd and curl's own --aws-sigv4. Exit 77 when the fixture was skipped (no s3.json), unless
CXRCAT_REQUIRE_SERVERS=1."""
import os
import subprocess
import sys
import tempfile
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fixture_state import read_fixture_state  # noqa: E402  (beside this file)


def s3cmd(info, *args, secret=None):
    host = info["endpoint"].removeprefix("http://")
    command = ["s3cmd", "--config=/dev/null", "--no-ssl", f"--host={host}", f"--host-bucket={host}",
               f"--access_key={info['access_key']}", f"--secret_key={secret or info['secret_key']}",
               f"--region={info['region']}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def curl_status(info, url, secret):
    result = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--noproxy", "*",
                             "--aws-sigv4", f"aws:amz:{info['region']}:s3",
                             "--user", f"{info['access_key']}:{secret}",
                             # curl 7.88 does not add it itself; radosgw requires it
                             "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", url],
                            capture_output=True, text=True, timeout=60, check=False)
    return result.stdout


def main():
    info, exit_code = read_fixture_state("test_s3_server", "CXRCAT_TEST_S3", "s3.json")
    if info is None:
        return exit_code
    assert info["endpoint"].startswith("http://127.0.0.1:"), info["endpoint"]
    bucket = "smoke-" + uuid.uuid4().hex[:12]
    failures = []
    made = s3cmd(info, "mb", f"s3://{bucket}")
    if made.returncode != 0:
        failures.append(f"s3cmd mb: {made.stderr}")
    with tempfile.TemporaryDirectory() as tmp:
        local = os.path.join(tmp, "hello.txt")
        with open(local, "w", encoding="utf-8") as f:
            f.write("hello from the s3 smoke test\n")
        put = s3cmd(info, "put", local, f"s3://{bucket}/dir/hello.txt")
        if put.returncode != 0:
            failures.append(f"s3cmd put: {put.stderr}")
        url = f"{info['endpoint']}/{bucket}/dir/hello.txt"
        if (status := curl_status(info, url, info["secret_key"])) != "200":
            failures.append(f"signed GET: status {status}, expected 200")
        if (status := curl_status(info, url, info["secret_key"] + "x")) != "403":
            failures.append(f"GET signed with a wrong secret: status {status}, expected 403")
        if s3cmd(info, "ls", f"s3://{bucket}/", secret=info["secret_key"] + "x").returncode == 0:
            failures.append("s3cmd with a wrong secret succeeded")
        got = os.path.join(tmp, "got.txt")
        if s3cmd(info, "get", f"s3://{bucket}/dir/hello.txt", got).returncode != 0 or \
                open(got, encoding="utf-8").read() != "hello from the s3 smoke test\n":
            failures.append("s3cmd get did not return what was put")
    s3cmd(info, "del", "--recursive", "--force", f"s3://{bucket}")
    s3cmd(info, "rb", f"s3://{bucket}")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
