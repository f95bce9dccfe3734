# SPDX-License-Identifier: Apache-2.0
"""How a fixture's smoke test (test_servers.py, test_provider_stubs.py, test_s3_server.py) finds the running
fixture: the state file its CTest fixture names in an environment variable (README.md)."""

import json
import os
import sys

EXIT_SKIP = 77


def read_fixture_state(prog, variable, file_name):
    """(the state file's JSON, None) when $variable names an existing file; else (None, exit code) after saying
    why: 77 (skipped, as the fixture was), or 1 under CXRCAT_REQUIRE_SERVERS=1."""
    path = os.environ.get(variable)
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f), None
    message = f"{prog}: no {file_name} ({path or f'{variable} is not set'})"
    if os.environ.get("CXRCAT_REQUIRE_SERVERS") == "1":
        print(f"{message}; CXRCAT_REQUIRE_SERVERS=1, failing", file=sys.stderr)
        return None, 1
    print(f"{message}; skipping", file=sys.stderr)
    return None, EXIT_SKIP
