#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Starts and stops a real S3 implementation for cxrcat's tests: Ceph's radosgw on a one-node cluster.

Usage: s3_fixture.py start STATE_DIR
       s3_fixture.py stop STATE_DIR
       s3_fixture.py status STATE_DIR

`start` (re)creates STATE_DIR/{ceph,logs,tmp} and runs, as the current user and on 127.0.0.1 only, one
ceph-mon, one ceph-mgr, one ceph-osd with `osd objectstore = memstore` (data in memory, pool size 1) and
radosgw with `rgw frontends = beast endpoint=127.0.0.1:PORT`; it makes a user with `radosgw-admin user
create` and writes STATE_DIR/s3.json (tests/servers/README.md, "S3"). `stop` ends exactly the daemons
that `start` recorded and is idempotent; logs/ stays for post-mortems.

radosgw verifies AWS Signature V4 (a wrong secret is 403 SignatureDoesNotMatch), which a stub such as
s3rver does not (its source says so), so tests that prove signing need this real server.

Without the Debian packages (radosgw ceph-mon ceph-osd ceph-mgr, `scripts/install-deps --test`) `start`
exits 77 (skipped) and writes no s3.json; CXRCAT_REQUIRE_SERVERS=1 turns that into a failure.
Runs with Debian's /usr/bin/python3, standard library only.
"""
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fixture_support import (FixtureError, claim_state_dir, end_process, free_ports, is_running, poll,  # noqa: I001
                             reclaim_state_dir, remove_state_files, run_command, write_atomically)

EXIT_SKIP = 77
MARKER = ".cxrcat-s3"
SUBDIRS = ("ceph", "logs", "tmp")
BINARIES = ("ceph-mon", "ceph-mgr", "ceph-osd", "radosgw", "radosgw-admin", "ceph-authtool", "monmaptool")
START_TIMEOUT = 90.0
# memstore keeps every object in the OSD's memory: tests store a few MiB, so 256 MiB is plenty and
# bounds what the fixture can take from a shared machine. The benchmark of `fetch --to s3://` (a 2 GiB
# object) raises it with CXRCAT_S3_MEMSTORE_MIB.
MEMSTORE_BYTES = int(os.environ.get("CXRCAT_S3_MEMSTORE_MIB", "256")) << 20
USER = "cxrcat-test"
REGION = "us-east-1"  # radosgw's default zonegroup "default" accepts any region name in the signature


def log(message):
    print(f"s3_fixture: {message}", file=sys.stderr, flush=True)


def ceph_conf(state, mon_port, rgw_port, fsid):
    ceph = os.path.join(state, "ceph")
    logs = os.path.join(state, "logs")
    # Settings from Ceph's own single-node developer cluster (src/vstart.sh: memstore, pool size 1,
    # no redundancy warnings) and the radosgw docs (beast frontend endpoint).
    return f"""[global]
fsid = {fsid}
mon host = v2:127.0.0.1:{mon_port}
mon initial members = a
keyring = {ceph}/keyring
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
ms bind ipv6 = false
ms bind msgr1 = false
public addr = 127.0.0.1
cluster addr = 127.0.0.1
run dir = {ceph}/run
admin socket = {ceph}/run/$name.asok
pid file = {ceph}/run/$name.pid
log file = {logs}/$name.log
log to stderr = false
err to stderr = true
mon data = {ceph}/mon/$id
osd data = {ceph}/osd/$id
mgr data = {ceph}/mgr/$id
mon data avail warn = 1
mon data avail crit = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = {MEMSTORE_BYTES}
osd memory target = 268435456
osd op num shards = 1
osd op num threads per shard = 2
client mount timeout = 30

[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:{rgw_port}
rgw data = {ceph}/rgw
rgw thread pool size = 16
rgw dns name = 127.0.0.1
"""


def run(command, state):
    """Runs a setup command; its output goes to logs/setup.log."""
    with open(os.path.join(state, "logs", "setup.log"), "a", encoding="utf-8") as out:
        out.write("$ " + " ".join(command) + "\n")
        out.flush()
        result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=out,
                                timeout=60, check=False)
        out.write(result.stdout.decode(errors="replace"))
    if result.returncode != 0:
        raise FixtureError(f"{' '.join(command[:3])} failed with exit {result.returncode} (see logs/setup.log)")
    return result.stdout.decode()


def spawn(command, state, name):
    err = open(os.path.join(state, "logs", f"{name}.stderr"), "w", encoding="utf-8")  # noqa: SIM115
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=err, stderr=subprocess.STDOUT,
                            start_new_session=True)


def make_keyring(state):
    keyring = os.path.join(state, "ceph", "keyring")
    entities = [("mon.", ["mon", "allow *"]),
                ("client.admin", ["mon", "allow *", "osd", "allow *", "mgr", "allow *", "mds", "allow *"]),
                ("osd.0", ["mon", "allow profile osd", "mgr", "allow profile osd", "osd", "allow *"]),
                ("mgr.x", ["mon", "allow profile mgr", "osd", "allow *", "mds", "allow *"]),
                ("client.rgw", ["mon", "allow rw", "osd", "allow rwx", "mgr", "allow rw"])]
    first = True
    for name, caps in entities:
        command = ["ceph-authtool", keyring] + (["--create-keyring"] if first else []) + ["--gen-key", "-n", name]
        for i in range(0, len(caps), 2):
            command += ["--cap", caps[i], caps[i + 1]]
        run(command, state)
        first = False
    os.chmod(keyring, 0o600)


def record(state, pids):
    write_atomically(os.path.join(state, "tmp", "pids.json"), json.dumps(pids) + "\n", 0o600)


def read_pids(state):
    try:
        with open(os.path.join(state, "tmp", "pids.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def wait_http(url, alive, timeout):
    def probe():
        try:
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # any S3 answer (403 for an anonymous list) means radosgw is serving
    return poll("radosgw", probe, alive, timeout)


def start_cluster(state, conf, pids):
    ceph = os.path.join(state, "ceph")
    for sub in ("run", "mon/a", "osd/0", "mgr/x", "rgw"):
        os.makedirs(os.path.join(ceph, sub), exist_ok=True)
    make_keyring(state)
    with open(conf, encoding="utf-8") as f:
        text = f.read()
    fsid = text.split("fsid = ", 1)[1].split("\n", 1)[0]
    mon_addr = text.split("mon host = ", 1)[1].split("\n", 1)[0]
    monmap = os.path.join(ceph, "monmap")
    run(["monmaptool", "--create", "--addv", "a", f"[{mon_addr}]", "--fsid", fsid, monmap], state)
    run(["ceph-mon", "-c", conf, "--mkfs", "-i", "a", "--monmap", monmap, "--keyring",
         os.path.join(ceph, "keyring")], state)
    daemons = {}

    def alive():
        return all(p.poll() is None for p in daemons.values())

    daemons["mon"] = spawn(["ceph-mon", "-c", conf, "-f", "-i", "a"], state, "mon")
    pids["mon"] = daemons["mon"].pid
    record(state, pids)
    # `ceph osd create` returns the new id once the monitor has quorum (a blocking command, no sleep).
    osd_id = run(["ceph", "-c", conf, "--connect-timeout", "30", "osd", "create"], state).strip()
    if osd_id != "0":
        raise FixtureError(f"expected osd id 0, got {osd_id!r}")
    run(["ceph-osd", "-c", conf, "-i", "0", "--mkfs"], state)
    daemons["osd"] = spawn(["ceph-osd", "-c", conf, "-f", "-i", "0"], state, "osd")
    daemons["mgr"] = spawn(["ceph-mgr", "-c", conf, "-f", "-i", "x"], state, "mgr")
    daemons["rgw"] = spawn(["radosgw", "-c", conf, "-f", "-n", "client.rgw"], state, "rgw")
    for name, process in daemons.items():
        pids[name] = process.pid
    record(state, pids)
    return daemons, alive


def start(state):
    state = reclaim_state_dir(state, MARKER, "s3.json", stop)
    missing = [b for b in BINARIES if shutil.which(b) is None]
    if missing:
        log(f"missing {', '.join(missing)} (scripts/install-deps --test installs radosgw ceph-mon ceph-osd ceph-mgr)")
        return 1 if os.environ.get("CXRCAT_REQUIRE_SERVERS") == "1" else EXIT_SKIP
    claim_state_dir(state, MARKER, "tests/servers/s3_fixture.py; `stop` ends the ceph daemons recorded here", SUBDIRS,
                    mode=0o700)

    began = time.monotonic()
    mon_port, rgw_port = free_ports(2, False)
    conf = os.path.join(state, "ceph", "ceph.conf")
    write_atomically(conf, ceph_conf(state, mon_port, rgw_port, uuid.uuid4()))
    pids = {"conf": conf}
    try:
        daemons, alive = start_cluster(state, conf, pids)
        endpoint = f"http://127.0.0.1:{rgw_port}"
        wait_http(endpoint + "/", alive, START_TIMEOUT)
        access_key = "CXR" + secrets.token_hex(8).upper()
        secret_key = secrets.token_urlsafe(30)
        run(["radosgw-admin", "-c", conf, "-n", "client.admin", "user", "create", "--uid", USER,
             "--display-name", "cxrcat tests", "--access-key", access_key, "--secret-key", secret_key], state)
    except BaseException:
        stop(state)
        raise
    info = {"endpoint": endpoint, "region": REGION, "access_key": access_key, "secret_key": secret_key,
            "user": USER, "conf": conf, "pids": {k: v for k, v in pids.items() if k != "conf"},
            "logs": os.path.join(state, "logs")}
    write_atomically(os.path.join(state, "s3.json"), json.dumps(info, indent=2, sort_keys=True) + "\n", 0o600)
    log(f"radosgw {endpoint} ready in {time.monotonic() - began:.1f} s (user {USER}); state {state}")
    return 0


def stop(state):
    state = os.path.abspath(state)
    if not os.path.exists(os.path.join(state, MARKER)):
        return 0
    pids = read_pids(state)
    conf = pids.get("conf", os.path.join(state, "ceph", "ceph.conf"))
    stopped = []
    # radosgw first, the monitor last: daemons that lose the monitor wait for it instead of exiting.
    for name in ("rgw", "mgr", "osd", "mon"):
        # our daemons' command lines name STATE_DIR/ceph/ceph.conf: never signal anything else
        if end_process(pids.get(name), conf, f"ceph {name}"):
            stopped.append(f"{name} {pids[name]}")
    remove_state_files(state, ["s3.json", os.path.join("tmp", "pids.json")])
    # memstore's data lived in the OSD's memory; the directories left are small
    shutil.rmtree(os.path.join(state, "ceph"), ignore_errors=True)
    log(f"stopped {', '.join(stopped)}" if stopped else "stopped nothing (no ceph daemon was running)")
    return 0


def status(state):
    pids = read_pids(os.path.abspath(state))
    running = {name: bool(pid and is_running(pid)) for name, pid in pids.items() if name != "conf"}
    print(json.dumps(running))
    return 0 if running and all(running.values()) else 3


def main():
    return run_command(sys.argv, {"start": start, "stop": stop, "status": status},
                       (FixtureError, subprocess.TimeoutExpired), __doc__.split("\n\n")[1])


if __name__ == "__main__":
    sys.exit(main())
