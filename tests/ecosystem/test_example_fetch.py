#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""examples/fetch_dataset (the library alone, no CLI) fetches a one-file dataset from the loopback nginx,
prints its plan, progress and result, and installs the file; a catalogued checksum that does not match is
exit 5 with nothing installed.

Usage: test_example_fetch.py EXAMPLE_BINARY
Needs the CTest fixture http_servers (CXRCAT_TEST_SERVERS); without it exits 77 (skipped), or 1 under
CXRCAT_REQUIRE_SERVERS=1.
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile


def catalog(path, url, size, sha256):
    """A one-dataset user catalog in the form of catalog/*.json (schema catalog/schema.json)."""
    dataset = {
        "id": "example-hello", "name": "Example: one file from the test server", "modality": "cxr",
        "category": "general", "license": {"name": "CC-BY-4.0"},
        "access": {"class": "open", "terms": "Cite the test.", "terms_url": "https://example.org/terms"},
        "sources": [{"provider": "http", "files": [{"path": "hello.txt", "url": url, "size": size, "sha256": sha256}]}],
    }
    path.write_text(json.dumps(dataset), encoding="utf-8")


def run(binary, catalog_path, home):
    env = dict(os.environ, CXRCAT_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"))
    env.pop("CXRCAT_CATALOG", None)
    return subprocess.run([binary, "example-hello", str(catalog_path)], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def main():
    binary = sys.argv[1]
    servers_json = os.environ.get("CXRCAT_TEST_SERVERS", "")
    if not servers_json or not pathlib.Path(servers_json).is_file():
        print("no loopback servers (CTest fixture http_servers)")
        return 1 if os.environ.get("CXRCAT_REQUIRE_SERVERS") == "1" else 77
    servers = json.loads(pathlib.Path(servers_json).read_text(encoding="utf-8"))
    hello = servers["files"]["hello.txt"]
    url = servers["http"] + "/files/hello.txt"
    failures = []
    with tempfile.TemporaryDirectory() as scratch:
        home = pathlib.Path(scratch)
        catalog(home / "good.json", url, hello["size"], hello["sha256"])
        result = run(binary, home / "good.json", home)
        installed = home / "data" / "datasets" / "example-hello" / "hello.txt"
        expected_lines = ["start  hello.txt (35 bytes)", f"finish hello.txt sha256 {hello['sha256']}", "ok 1 files in "]
        if result.returncode != 0:
            failures.append(f"exit {result.returncode}, expected 0: {result.stdout}{result.stderr}")
        for line in expected_lines:
            if not any(printed.startswith(line) for printed in result.stdout.splitlines()):
                failures.append(f"no line starting {line!r} in: {result.stdout}")
        if not installed.is_file() or installed.read_bytes() != (pathlib.Path(servers["www"]) / "hello.txt").read_bytes():
            failures.append(f"{installed} is not the served hello.txt")

        wrong = home / "wrong"
        catalog(home / "wrong.json", url, hello["size"], "0" * 64)
        result = run(binary, home / "wrong.json", wrong)
        if result.returncode != 5:
            failures.append(f"a wrong sha256: exit {result.returncode}, expected 5: {result.stdout}{result.stderr}")
        if (wrong / "data" / "datasets" / "example-hello" / "hello.txt").exists():
            failures.append("a wrong sha256 installed hello.txt")
    for failure in failures:
        print("FAIL:", failure)
    if not failures:
        print("ok: the example fetched, verified and installed hello.txt; a mismatch was exit 5 with nothing installed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
