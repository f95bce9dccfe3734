# SPDX-License-Identifier: Apache-2.0
"""Checks common to every stub: the contract keys, health, stats, reset, logs."""
import os
import time
import unittest
import urllib.parse

from stub_checks.common import STUBS, RUN, SECRETS, fetch, unique_record, stats


# --- common -----------------------------------------------------------------------------------------------

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
