#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Smoke test of the provider stubs: every behaviour promised in tests/servers/README.md ("Provider stubs").

Usage: CXRCAT_PROVIDER_STUBS=STATE_DIR/providers.json test_provider_stubs.py [unittest options]
Uses urllib (redirects are never followed implicitly, so each hop is checked). Exits 77 (skipped) when
providers.json is absent, unless CXRCAT_REQUIRE_SERVERS=1, which makes that a failure. Safe to run while
other tests use the same stubs: every test works on world entries with names of its own.
"""
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fixture_state import read_fixture_state  # noqa: E402  (beside this file)
from stub_checks.common import SECRETS, STUBS, fetch  # noqa: E402
from stub_checks.contract import Common  # noqa: E402,F401  (unittest.main runs every TestCase here)
from stub_checks.huggingface import HuggingFace  # noqa: E402,F401
from stub_checks.idc import Idc  # noqa: E402,F401
from stub_checks.kaggle import Kaggle  # noqa: E402,F401
from stub_checks.physionet import PhysioNet  # noqa: E402,F401
from stub_checks.tcia import Tcia  # noqa: E402,F401
from stub_checks.zenodo import Zenodo  # noqa: E402,F401


def check_no_secret_logged():
    """After all tests: no credential sent by this run appears in any stub log or /__stats."""
    texts = []
    for path in STUBS["logs"].values():
        with open(path, encoding="utf-8") as f:
            texts.append(f.read())
    for key in ("zenodo", "physionet", "kaggle", "huggingface", "huggingface_alt", "idc"):
        texts.append(fetch(f"{STUBS[key]}/__stats").body.decode())
    everything = "\n".join(texts)
    leaked = [s for s in SECRETS if s in everything]
    if leaked:
        print(f"test_provider_stubs: {len(leaked)} secret(s) found in stub logs or stats: "
              + ", ".join(f"{s[:3]}… ({len(s)} chars)" for s in leaked), file=sys.stderr)
        return False
    return True


def main():
    stubs, exit_code = read_fixture_state("test_provider_stubs", "CXRCAT_PROVIDER_STUBS", "providers.json")
    if stubs is None:
        return exit_code
    STUBS.update(stubs)
    program = unittest.main(argv=sys.argv, exit=False, verbosity=2)
    clean = check_no_secret_logged()
    return 0 if program.result.wasSuccessful() and clean else 1


if __name__ == "__main__":
    sys.exit(main())
