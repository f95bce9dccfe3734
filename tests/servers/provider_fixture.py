#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Starts and stops cxrcat's loopback provider stubs (provider_stubs.py) as the CTest fixture `provider_stubs`.

Usage: provider_fixture.py start STATE_DIR
       provider_fixture.py stop STATE_DIR
       provider_fixture.py status STATE_DIR

`start` stops whatever a previous run left in STATE_DIR, (re)creates STATE_DIR/{world,logs,tmp} (the world
empty except for one directory per provider), starts provider_stubs.py on free loopback ports, waits until
every server answers /__health and writes STATE_DIR/providers.json (the contract in tests/servers/README.md).
`stop` ends exactly the process that `start` recorded and is idempotent; world/ and logs/ stay for
post-mortems. Only 127.0.0.1, ::1 and localhost are ever used.

The stubs need nothing but this Python, so `start` has no reason to skip; it still follows the fixture
convention: exit 77 = skipped (only when provider_stubs.py is missing), turned into a failure by
CXRCAT_REQUIRE_SERVERS=1. Runs with Debian's /usr/bin/python3, standard library only.
"""
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fixture_support import (FixtureError, claim_state_dir, end_process, http_get, is_running, poll,  # noqa: I001
                             read_pid, reclaim_state_dir, recorded_pid, remove_state_files, run_command,
                             write_atomically)

EXIT_SKIP = 77
MARKER = ".cxrcat-provider-stubs"
SUBDIRS = ("world", "logs", "tmp")
HERE = os.path.dirname(os.path.abspath(__file__))
STUBS = os.path.join(HERE, "provider_stubs.py")
PROVIDERS = ("zenodo", "physionet", "kaggle", "huggingface", "idc", "idc_api", "tcia", "tcia_nlst")
SERVERS = PROVIDERS + ("huggingface_cdn",)
DROP_IN_DIRS = ("physionet/_users.d", "physionet/_open.d", "kaggle/_auth.d", "huggingface/_tokens.d")


def log(message):
    print(f"provider_fixture: {message}", file=sys.stderr, flush=True)


def prepare_state_dir(state):
    claim_state_dir(state, MARKER, "tests/servers/provider_fixture.py; `stop` ends the stub process recorded here",
                    SUBDIRS)
    world = os.path.join(state, "world")
    for provider in PROVIDERS:
        os.makedirs(os.path.join(world, provider))
    for sub in DROP_IN_DIRS:
        os.makedirs(os.path.join(world, sub))


def stop(state):
    state = os.path.abspath(state)
    if not os.path.exists(os.path.join(state, MARKER)):
        return 0  # nothing was ever started here
    pid = recorded_pid(os.path.join(state, "tmp", "stubs.json"), os.path.join(state, "providers.json"), "pid")
    # the command line of our process names STATE_DIR/world: never signal anything else
    stopped = end_process(pid, os.path.join(state, "world"), "provider stubs")
    remove_state_files(state, ["providers.json", os.path.join("tmp", "stubs.json")])
    log(f"stopped provider stubs (pid {pid})" if stopped else "stopped nothing (no stub process was running)")
    return 0


def start(state):
    state = reclaim_state_dir(state, MARKER, "providers.json", stop)
    if not os.path.isfile(STUBS):
        log(f"{STUBS} not found")
        return 1 if os.environ.get("CXRCAT_REQUIRE_SERVERS") == "1" else EXIT_SKIP

    prepare_state_dir(state)
    world, logs = os.path.join(state, "world"), os.path.join(state, "logs")
    ready = os.path.join(state, "tmp", "stubs.json")
    with open(os.path.join(logs, "stubs.stderr"), "w", encoding="utf-8") as err:
        process = subprocess.Popen([sys.executable, STUBS, "--world", world, "--ready-file", ready,
                                    "--log-dir", logs],
                                   stdin=subprocess.DEVNULL, stdout=err, stderr=subprocess.STDOUT,
                                   start_new_session=True)

    def ready_info():
        with open(ready, encoding="utf-8") as f:
            return json.load(f)

    try:
        info = poll("provider stubs", ready_info, lambda: process.poll() is None)
        ports = info["ports"]
        for name in SERVERS:
            poll(f"{name} stub", lambda n=name: http_get(f"http://127.0.0.1:{ports[n]}/__health"),
                 lambda: process.poll() is None)
    except BaseException:
        process.kill()
        process.wait()
        raise

    providers = {name: f"http://127.0.0.1:{ports[name]}" for name in PROVIDERS}
    providers.update({
        "huggingface_alt": f"http://localhost:{ports['huggingface_cdn']}",
        "kaggle_signed": f"http://localhost:{ports['kaggle']}",
        "world": world,
        "logs": {name: os.path.join(logs, f"{name}.log") for name in SERVERS},
        "pid": process.pid,
        "ipv6": bool(info.get("ipv6")),
    })
    write_atomically(os.path.join(state, "providers.json"), json.dumps(providers, indent=2, sort_keys=True) + "\n")
    log(" ".join(f"{name}={providers[name]}" for name in PROVIDERS)
        + f" huggingface_alt={providers['huggingface_alt']} (pid {process.pid}); world {world}")
    return 0


def status(state):
    pid = read_pid(os.path.join(os.path.abspath(state), "tmp", "stubs.json"))
    running = bool(pid and is_running(pid))
    print(json.dumps({"provider_stubs": running}))
    return 0 if running else 3


def main():
    return run_command(sys.argv, {"start": start, "stop": stop, "status": status}, FixtureError,
                       __doc__.split("\n\n")[1])


if __name__ == "__main__":
    sys.exit(main())
