#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""What the fixture scripts (nginx_fixture.py, provider_fixture.py, s3_fixture.py) share: ending exactly the
processes they started, free loopback ports, readiness polling, and state directories they own.
Standard library only."""
import json
import os
import shutil
import signal
import socket
import ssl
import sys
import time
import urllib.error
import urllib.request

READY_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


class FixtureError(Exception):
    pass


def log(message):
    print(f"nginx_fixture: {message}", file=sys.stderr, flush=True)


# --- processes --------------------------------------------------------------------------------------------

def process_state(pid):
    """Returns the /proc state letter of pid, or None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
            return f.read().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return None


def is_running(pid):
    state = process_state(pid)
    return state is not None and state not in ("Z", "X")  # a zombie has already exited


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        if len(fields) > 1 and fields[1] == str(pid):
            found.append(int(entry))
    return found


def wait_gone(pids, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(is_running(p) for p in pids):
            return True
        time.sleep(0.05)  # polling for an exit, not waiting for readiness
    return not any(is_running(p) for p in pids)


def signal_pids(pids, signum):
    for pid in pids:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass


def end_process(pid, must_contain, name):
    """Ends pid (and its children) if it is still the process we started; returns True if it was running."""
    if not pid or not is_running(pid):
        return False
    line = cmdline(pid)
    if must_contain not in line:
        log(f"{name}: pid {pid} is now a different process ({line.strip()!r}); not touching it")
        return False
    group = [pid] + children(pid)
    signal_pids([pid], signal.SIGTERM)
    if not wait_gone(group, STOP_TIMEOUT):
        log(f"{name}: still running {STOP_TIMEOUT:.0f} s after SIGTERM; sending SIGKILL")
        signal_pids([p for p in group if is_running(p)], signal.SIGKILL)
        if not wait_gone(group, STOP_TIMEOUT):
            raise FixtureError(f"{name}: pids {group} survive SIGKILL")
    return True


def read_pid(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read().strip()
    except OSError:
        return None
    try:
        return int(json.loads(text)["pid"]) if text.startswith("{") else int(text)
    except (ValueError, KeyError, TypeError):
        return None


# --- ports and readiness ----------------------------------------------------------------------------------

def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def free_ports(count, ipv6):
    """Returns count distinct ports free on 127.0.0.1 (and ::1), found by binding to port 0."""
    held, ports = [], []
    try:
        while len(ports) < count:
            s4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s4.bind(("127.0.0.1", 0))
            held.append(s4)
            port = s4.getsockname()[1]
            if ipv6:
                s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
                held.append(s6)
                try:
                    s6.bind(("::1", port))
                except OSError:
                    continue
            ports.append(port)
    finally:
        for s in held:
            s.close()
    return ports


def poll(description, probe, alive, timeout=READY_TIMEOUT):
    """Calls probe() until it returns without raising, or fails after timeout or when alive() is false."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            return probe()
        except (OSError, ValueError, KeyError, urllib.error.URLError, ssl.SSLError) as error:
            last = error
        if not alive():
            raise FixtureError(f"{description}: the server exited while starting (last error: {last})")
        time.sleep(0.05)  # polling interval of a readiness loop with a deadline, not a fixed wait
    raise FixtureError(f"{description}: not ready after {timeout:.0f} s (last error: {last})")


def http_get(url, context=None):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                         urllib.request.HTTPSHandler(context=context))
    with opener.open(url, timeout=2) as response:
        if response.status != 200:
            raise ValueError(f"{url}: status {response.status}")
        return response.read()


# --- state directory --------------------------------------------------------------------------------------

def claim_state_dir(state, marker, made_by, subdirs, mode=0o777):
    """Makes state a fixture's directory: refuses a non-empty one without this fixture's marker file
    (never clobbers a directory someone else made), then recreates each of subdirs empty (with mode)."""
    if os.path.isdir(state) and os.listdir(state) and not os.path.exists(os.path.join(state, marker)):
        raise FixtureError(f"{state} is not empty and was not made by this script; refusing to reuse it")
    os.makedirs(state, exist_ok=True)
    with open(os.path.join(state, marker), "w", encoding="utf-8") as f:
        f.write(f"created by {made_by}\n")
    for name in subdirs:
        shutil.rmtree(os.path.join(state, name), ignore_errors=True)
        os.makedirs(os.path.join(state, name), mode=mode)


def reclaim_state_dir(state, marker, ready_file, stop):
    """Ends whatever a previous run that was not cleaned up left in state (its processes are never reused) and
    removes its ready file ready_file; returns state as an absolute path."""
    state = os.path.abspath(state)
    if os.path.exists(os.path.join(state, marker)):
        stop(state)
    remove_state_files(state, [ready_file])
    return state


def remove_state_files(state, names):
    """Removes each of names (relative to state) that exists."""
    for name in names:
        try:
            os.remove(os.path.join(state, name))
        except FileNotFoundError:
            pass


def recorded_pid(pid_file, state_file, key):
    """The pid pid_file holds, else the one the fixture's JSON state_file records under key; None for neither."""
    pid = read_pid(pid_file)
    if pid is None:
        try:
            with open(state_file, encoding="utf-8") as f:
                pid = int(json.load(f).get(key) or 0) or None
        except (OSError, ValueError):
            pass
    return pid


def run_command(argv, commands, errors, usage):
    """The `start|stop|status STATE_DIR` command line of the provider and S3 fixtures: runs
    commands[name](state) and turns an error of the types in `errors` into exit status 1."""
    if len(argv) != 3 or argv[1] not in commands:
        print(usage, file=sys.stderr)
        return 2
    try:
        return commands[argv[1]](argv[2])
    except errors as error:
        print(f"{os.path.basename(argv[0]).removesuffix('.py')}: error: {error}", file=sys.stderr, flush=True)
        return 1


def write_atomically(path, text, mode=0o644):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)
