#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Fault-injecting HTTP server for cxrcat's loopback tests (Python standard library only).

Serves the files under --www with a behaviour chosen by the first path segment: /ok/, /drop/, /wrong/,
/html/, /ratelimit/N/, /unavailable/N/, /stall/, /norange/, /etag-change/, /status/CODE/, /redirect/TARGET,
plus /dropfirst/N/ and /stallfirst/N/. GET /__stats and POST /__reset expose per-path counters.
tests/servers/README.md is the contract; nginx_fixture.py starts and stops this server.

Usage: fault_server.py --www DIR --ready-file FILE [--log FILE] [--port N] [--max-lifetime SECONDS]
Listens on 127.0.0.1 (and on ::1 with the same port when the machine has IPv6 loopback), never on
another address. Exits on SIGTERM/SIGINT, and by itself after --max-lifetime seconds (default 2 h).
"""
import argparse
import email.utils
import errno
import http.server
import itertools
import json
import os
import select
import socket
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from loopback_http import (ClientGone, LoopbackServer, send_head, serve_until_stopped,  # noqa: E402, I001
                           start_serving, write_body)
from request_stats import RequestStats  # noqa: E402  (beside this file: the script's own directory)

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
CHUNK = 256 * 1024
STALL_PREFIX_MAX = 64 * 1024
DEFAULT_STALL_SECONDS = 30.0
MAX_STALL_SECONDS = 120.0
NO_BODY_STATUSES = (204, 304)

# The same small type map as the nginx fixture, so both servers label files alike.
CONTENT_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".csv": "text/csv",
    ".json": "application/json", ".xml": "application/xml", ".zip": "application/zip",
    ".gz": "application/gzip", ".tgz": "application/gzip", ".tar": "application/x-tar",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".dcm": "application/dicom",
    ".nii": "application/octet-stream", ".bin": "application/octet-stream",
}

LOGIN_PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in - Example Data Portal</title></head>
<body>
<h1>Sign in</h1>
<p>You must sign in and accept the data use agreement to download this file.</p>
<form method="post" action="/login">
<label>Username <input name="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>
"""


class State(RequestStats):
    """Per-server-instance counters and the request log (request_stats.py), shared by every listener
    and thread, plus what the fault handlers need: the served tree, the stop flag, ETag serials."""

    def __init__(self, www, log_path):
        super().__init__(log_path)
        self.www = os.path.realpath(www)
        self.stop = threading.Event()
        self.etag_serial = itertools.count(1)


def http_date(timestamp):
    return email.utils.formatdate(timestamp, usegmt=True)


def parse_range(header, size):
    """Returns None (serve the whole body), "unsatisfiable", or an inclusive (first, last) byte range.

    Only a single bytes range is honoured; several ranges or a malformed header mean "whole body",
    which RFC 9110 allows.
    """
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            suffix = int(last)
            if suffix <= 0 or size == 0:
                return "unsatisfiable"
            return (max(0, size - suffix), size - 1)
        start = int(first)
        end = int(last) if last else None
    except ValueError:
        return None
    if start < 0 or (end is not None and end < start):
        return None
    if start >= size:
        return "unsatisfiable"
    return (start, size - 1 if end is None else min(end, size - 1))


class FileInfo:
    def __init__(self, path, rel):
        st = os.stat(path)
        self.path = path
        self.rel = rel
        self.size = st.st_size
        self.mtime = st.st_mtime
        self.etag = f'"{st.st_size:x}-{st.st_mtime_ns:x}"'
        self.last_modified = http_date(st.st_mtime)
        self.content_type = CONTENT_TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cxrcat-fault/1"
    sys_version = ""
    timeout = 120  # an idle keep-alive connection is dropped after this

    # --- plumbing -------------------------------------------------------------------------------------

    def version_string(self):
        return self.server_version

    @property
    def state(self):
        return self.server.state

    def log_request(self, code="-", size="-"):
        pass  # one JSON line per request is written in _dispatch instead

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        self.state.log({"time": time.time(), "client": self.client_address[0], "message": format % args})

    def do_GET(self):
        self._dispatch(head=False)

    def do_HEAD(self):
        self._dispatch(head=True)

    def do_POST(self):
        self._discard_body()
        self._dispatch(head=False, post=True)

    def _discard_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        while length > 0:
            chunk = self.rfile.read(min(length, CHUNK))
            if not chunk:
                break
            length -= len(chunk)

    def _start(self, status, headers, length):
        """Sends the status line and headers; length is the Content-Length to announce."""
        send_head(self, self.state, status, headers, length)

    def _write(self, data):
        write_body(self, self.state, data)

    def _simple(self, status, body, content_type="text/plain; charset=utf-8", extra=()):
        if status in NO_BODY_STATUSES or status < 200:
            body = b""
        self._start(status, [("Content-Type", content_type), *extra], len(body))
        self._write(body)

    def _dispatch(self, head, post=False):
        self.head = head
        split = urllib.parse.urlsplit(self.path)
        path = split.path
        query = urllib.parse.parse_qs(split.query)
        self.entry = {
            "time": time.time(), "client": self.client_address[0], "host": self.headers.get("Host"),
            "method": self.command, "target": self.path, "status": None, "bytes_sent": 0,
            "range": self.headers.get("Range"), "if_range": self.headers.get("If-Range"),
            "authorization": self.headers.get("Authorization") is not None,
            "user_agent": self.headers.get("User-Agent"),
        }
        try:
            if path in ("/__stats", "/__reset"):
                self._control(path, query, post)
            elif post:
                self._simple(405, b"method not allowed\n", extra=[("Allow", "GET, HEAD")])
            else:
                index = self.state.begin(path, self.entry)
                self._route(path, query, index)
        except ClientGone:
            self.close_connection = True
            self.entry["client_gone"] = True
        finally:
            record = {k: v for k, v in self.entry.items() if k != "_stats"}
            self.state.log(record)

    def _control(self, path, query, post):
        only = query.get("path", [None])[0]
        if path == "/__reset":
            if not post:
                self._simple(405, b"use POST /__reset\n", extra=[("Allow", "POST")])
                return
            self.state.reset(only)
            body = json.dumps({"reset": only if only else "all"}).encode() + b"\n"
        else:
            body = json.dumps(self.state.snapshot(only), indent=1, sort_keys=True).encode() + b"\n"
        self._simple(200, body, "application/json", extra=[("Cache-Control", "no-store")])

    # --- routing --------------------------------------------------------------------------------------

    def _route(self, path, query, index):
        mode, _, rest = path.lstrip("/").partition("/")
        if mode == "redirect":
            self._redirect(rest, query)
            return
        if mode in ("ratelimit", "unavailable", "status", "dropfirst", "stallfirst"):
            number, _, rest = rest.partition("/")
            try:
                number = int(number)
            except ValueError:
                self._simple(400, f"/{mode}/ needs a number: /{mode}/N/<file>\n".encode())
                return
        if mode not in ("ok", "drop", "wrong", "html", "ratelimit", "unavailable", "stall", "norange",
                        "etag-change", "status", "dropfirst", "stallfirst"):
            self._simple(404, b"unknown fault mode; see tests/servers/README.md\n")
            return
        info = self._resolve(rest)
        if info is None:
            self._simple(404, f"no such file under www: {urllib.parse.unquote(rest)}\n".encode())
            return

        if mode == "ok":
            self._serve(info)
        elif mode == "drop":
            self._serve(info, cut="drop")
        elif mode == "dropfirst":
            self._serve(info, cut="drop" if index < number else None)
        elif mode == "wrong":
            self._serve(info, flip_at=info.size // 2 if info.size else None)
        elif mode == "html":
            self._simple(200, LOGIN_PAGE, "text/html; charset=utf-8", extra=[("Cache-Control", "no-store")])
        elif mode == "ratelimit":
            if index < number:
                retry_after = query.get("retry_after", ["1"])[0]
                self._simple(429, b"too many requests\n", extra=[("Retry-After", retry_after)])
            else:
                self._serve(info)
        elif mode == "unavailable":
            if index < number:
                extra = [("Retry-After", query["retry_after"][0])] if "retry_after" in query else []
                self._simple(503, b"service unavailable\n", extra=extra)
            else:
                self._serve(info)
        elif mode == "stall":
            self._serve(info, cut="stall", stall_seconds=self._stall_seconds(query))
        elif mode == "stallfirst":
            self._serve(info, cut="stall" if index < number else None, stall_seconds=self._stall_seconds(query))
        elif mode == "norange":
            self._serve(info, honour_range=False, accept_ranges=False)
        elif mode == "etag-change":
            serial = next(self.state.etag_serial)
            etag = f'"{info.size:x}-changed-{serial}"'
            last_modified = http_date(info.mtime - 10_000_000 + serial)
            honour = self.headers.get("If-Range") is None
            self._serve(info, honour_range=honour, etag=etag, last_modified=last_modified, check_if_range=False)
        elif mode == "status":
            if not 100 <= number <= 599:
                self._simple(400, b"status code must be 100..599\n")
                return
            extra = [("WWW-Authenticate", 'Basic realm="cxrcat-test"')] if number == 401 else []
            self._simple(number, f"status {number} for {info.rel}\n".encode(), extra=extra)

    @staticmethod
    def _stall_seconds(query):
        try:
            seconds = float(query.get("seconds", [DEFAULT_STALL_SECONDS])[0])
        except ValueError:
            seconds = DEFAULT_STALL_SECONDS
        return max(0.0, min(seconds, MAX_STALL_SECONDS))

    def _resolve(self, rel):
        """Maps a URL path below the mode to a regular file inside www, or None."""
        rel = urllib.parse.unquote(rel)
        if not rel or rel.startswith("/") or any(part in ("", ".", "..") for part in rel.split("/")):
            return None
        full = os.path.realpath(os.path.join(self.state.www, rel))
        if not full.startswith(self.state.www + os.sep) or not os.path.isfile(full):
            return None
        try:
            return FileInfo(full, rel)
        except OSError:
            return None

    def _redirect(self, encoded_target, query):
        target = urllib.parse.unquote(encoded_target)
        parsed = urllib.parse.urlsplit(target)
        if parsed.scheme or parsed.netloc:
            if parsed.scheme not in ("http", "https") or parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
                self._simple(400, b"redirect targets must be loopback (127.0.0.1, localhost, ::1)\n")
                return
        elif not target.startswith("/"):
            self._simple(400, b"redirect target must be an absolute URL or an absolute path\n")
            return
        try:
            code = int(query.get("code", ["302"])[0])
        except ValueError:
            code = 0
        if code not in (301, 302, 303, 307, 308):
            self._simple(400, b"code must be one of 301 302 303 307 308\n")
            return
        self._simple(code, f"redirecting to {target}\n".encode(), extra=[("Location", target)])

    # --- file bodies ----------------------------------------------------------------------------------

    def _serve(self, info, *, honour_range=True, accept_ranges=True, etag=None, last_modified=None,
               check_if_range=True, flip_at=None, cut=None, stall_seconds=DEFAULT_STALL_SECONDS):
        """Sends info's bytes (or the requested range) with the given fault applied.

        cut: None (whole body), "drop" (half the body, then close) or "stall" (a little, then silence).
        """
        etag = etag or info.etag
        last_modified = last_modified or info.last_modified
        headers = [("Content-Type", info.content_type), ("ETag", etag), ("Last-Modified", last_modified)]
        if accept_ranges:
            headers.append(("Accept-Ranges", "bytes"))

        wanted = parse_range(self.headers.get("Range"), info.size) if honour_range else None
        if wanted is not None and check_if_range:
            validator = self.headers.get("If-Range")
            if validator is not None and validator.strip() not in (etag, last_modified):
                wanted = None  # the representation changed: whole body, as RFC 9110 says
        if wanted == "unsatisfiable":
            self._simple(416, b"range not satisfiable\n", extra=[("Content-Range", f"bytes */{info.size}")])
            return
        if wanted is None:
            status, first, last = 200, 0, info.size - 1
        else:
            status, (first, last) = 206, wanted
            headers.append(("Content-Range", f"bytes {first}-{last}/{info.size}"))
        length = last - first + 1 if info.size else 0

        send = length
        if cut is not None:
            send = length // 2 if cut == "drop" else min(STALL_PREFIX_MAX, length // 2)
        self._start(status, headers, length)
        if cut is not None:
            self.close_connection = True  # after the headers: a real failure announces nothing
        if self.head:
            return
        self._send_bytes(info.path, first, send, flip_at)
        if cut == "stall":
            self._stall(stall_seconds)

    def _send_bytes(self, path, offset, count, flip_at):
        with open(path, "rb") as f:
            f.seek(offset)
            while count > 0:
                data = f.read(min(CHUNK, count))
                if not data:
                    break  # the file shrank while being served: stop short, like a real server would
                if flip_at is not None and offset <= flip_at < offset + len(data):
                    data = bytearray(data)
                    data[flip_at - offset] ^= 0xFF
                    data = bytes(data)
                self._write(data)
                offset += len(data)
                count -= len(data)

    def _stall(self, seconds):
        """Keeps the connection open without sending, until timeout, client close or server stop."""
        deadline = time.monotonic() + seconds
        watch = True
        while not self.state.stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if not watch:
                self.state.stop.wait(min(remaining, 0.25))
                continue
            readable, _, _ = select.select([self.connection], [], [], min(remaining, 0.25))
            if readable:
                try:
                    peek = self.connection.recv(1, socket.MSG_PEEK)
                except OSError:
                    raise ClientGone() from None
                if not peek:
                    raise ClientGone()
                watch = False  # the client sent more data; stop watching, keep stalling


class Server(LoopbackServer):
    def __init__(self, address, state):
        self.state = state
        super().__init__(address, Handler, state)


class Server6(Server):
    address_family = socket.AF_INET6


def bind_servers(state, port):
    """Binds 127.0.0.1 (and ::1 when available) to one port; port 0 picks a free one."""
    for _ in range(20):
        v4 = Server(("127.0.0.1", port), state)
        chosen = v4.server_address[1]
        try:
            v6 = Server6(("::1", chosen), state)
        except OSError as error:
            if error.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
                return [v4]  # no IPv6 loopback on this machine
            v4.server_close()
            if port:
                raise
            continue  # that port is taken on ::1; pick another
        return [v4, v6]
    raise OSError("could not find a port free on both 127.0.0.1 and ::1")


def write_atomically(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--www", required=True, help="directory whose files are served")
    parser.add_argument("--ready-file", required=True, help="JSON {pid, port, ipv6} written once listening")
    parser.add_argument("--log", help="append one JSON line per request here")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--max-lifetime", type=float, default=7200.0, help="exit after this many seconds")
    args = parser.parse_args()

    state = State(args.www, args.log)
    servers = bind_servers(state, args.port)
    port = servers[0].server_address[1]

    start_serving(servers, state.stop)
    write_atomically(args.ready_file, json.dumps({"pid": os.getpid(), "port": port, "ipv6": len(servers) > 1}))
    state.log({"time": time.time(), "message": f"listening on port {port}", "pid": os.getpid()})
    if serve_until_stopped(servers, state.stop, args.max_lifetime):
        state.log({"time": time.time(), "message": "max lifetime reached, exiting"})
    state.log({"time": time.time(), "message": "stopped"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
