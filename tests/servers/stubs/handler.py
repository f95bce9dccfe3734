# SPDX-License-Identifier: Apache-2.0
"""What every stub shares: the process-wide state (Shared) and the request handler each provider's handler
extends (dispatch, control endpoints, request log, bodies with Range, credentials)."""
import base64
import hashlib
import hmac
import http.server
import json
import os
import secrets
import threading
import time
import traceback
import urllib.parse

from fault_server import parse_range
from loopback_http import ClientGone, send_head, write_body

from .digests import Digests
from .text import redact_target

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
CHUNK = 256 * 1024
MAX_BODY = 1 << 20
CONTROL_PATHS = ("/__stats", "/__reset", "/__health")


class Shared:
    """State shared by all servers of the process."""

    def __init__(self, world):
        self.world = os.path.realpath(world)
        self.digests = Digests()
        self.secret = secrets.token_bytes(32)  # signs the stubs' own "signed URLs"
        self.ports = {}
        self.stop = threading.Event()

    def sign(self, *parts):
        return hmac.new(self.secret, "\n".join(parts).encode(), hashlib.sha256).hexdigest()

    def root(self, provider):
        return os.path.join(self.world, provider)


class StubHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    sys_version = ""
    timeout = 120
    provider = "stub"

    def version_string(self):
        return f"cxrcat-stub-{self.provider}/1"

    @property
    def shared(self):
        return self.server.shared

    @property
    def stats(self):
        return self.server.stats

    def log_request(self, code="-", size="-"):
        pass  # one JSON line per request is written by _dispatch

    def log_message(self, format, *args):  # noqa: A002 - base class signature
        self.stats.log({"time": time.time(), "client": self.client_address[0], "message": format % args})

    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    # --- plumbing ---

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        data = b""
        while length > 0:
            chunk = self.rfile.read(min(length, CHUNK))
            if not chunk:
                break
            length -= len(chunk)
            if len(data) < MAX_BODY:
                data += chunk
        return data

    def _dispatch(self, method):
        self.method = method
        self.head = method == "HEAD"
        self.sent = False
        split = urllib.parse.urlsplit(self.path)
        self.raw_path = split.path
        self.query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        authorization = self.headers.get("Authorization")
        self.entry = {
            "time": time.time(), "client": self.client_address[0], "host": self.headers.get("Host"),
            "method": method, "target": redact_target(self.path), "status": None, "bytes_sent": 0,
            "range": self.headers.get("Range"), "if_range": self.headers.get("If-Range"),
            "authorization": authorization is not None,
            "auth_scheme": authorization.split(" ", 1)[0] if authorization else None,
            "user_agent": self.headers.get("User-Agent"),
        }
        try:
            self.body = self._read_body() if method in ("POST", "PUT") else b""
            if self.raw_path in CONTROL_PATHS:
                self._control()
            else:
                self.stats.begin(self.stats_path(), self.entry)
                self.route()
        except ClientGone:
            self.close_connection = True
            self.entry["client_gone"] = True
        except Exception:  # noqa: BLE001 - a stub bug must show up as a 500 and in the log, not kill the thread
            self.entry["error"] = traceback.format_exc(limit=8)
            if not self.sent:
                try:
                    self.send_text(500, "internal stub error; see the request log\n")
                except ClientGone:
                    pass
            self.close_connection = True
        finally:
            self.stats.log({k: v for k, v in self.entry.items() if k != "_stats"})

    def stats_path(self):
        """The key a request is counted under in /__stats: its raw path."""
        return self.raw_path

    def _control(self):
        only = self.query.get("path", [None])[0]
        if self.raw_path == "/__health":
            self.send_text(200, "ok\n")
        elif self.raw_path == "/__reset":
            if self.method != "POST":
                self.send_text(405, "use POST /__reset\n", headers=[("Allow", "POST")])
                return
            self.stats.reset(only)
            self.send_json(200, {"reset": only if only else "all"})
        else:
            self.send_json(200, self.stats.snapshot(only), headers=[("Cache-Control", "no-store")], indent=1)

    def common_headers(self):
        return []

    def start_response(self, status, headers, length):
        explicit = {name.lower() for name, _ in headers}
        common = [(name, value) for name, value in self.common_headers() if name.lower() not in explicit]
        send_head(self, self.stats, status, [*common, *headers], length)
        self.sent = True

    def write(self, data):
        write_body(self, self.stats, data)

    def send_bytes(self, status, body, content_type=None, headers=()):
        headers = list(headers)
        if content_type:
            headers.insert(0, ("Content-Type", content_type))
        if status in (204, 304) or status < 200:
            body = b""
        self.start_response(status, headers, len(body))
        self.write(body)

    def send_text(self, status, text, headers=()):
        self.send_bytes(status, text.encode(), "text/plain; charset=utf-8", headers)

    def send_html(self, status, html, headers=()):
        self.send_bytes(status, html.encode(), "text/html; charset=utf-8", headers)

    def send_json(self, status, document, headers=(), indent=None, content_type="application/json"):
        body = json.dumps(document, indent=indent, separators=None if indent else (",", ":")).encode()
        self.send_bytes(status, body + (b"\n" if indent else b""), content_type, headers)

    def redirect(self, status, location, headers=(), body=b"", content_type=None):
        self.send_bytes(status, body, content_type, [("Location", location), *headers])

    def send_content(self, source, *, honour_range=True, accept_ranges=True, etag=None, last_modified=None,
                     ctype=None, headers=(), drop_after=None):
        """Sends a file path or a bytes object: 200, or 206 + Content-Range for one bytes range, or 416.
        drop_after: close the connection after that many body bytes (a dropped transfer)."""
        if isinstance(source, (bytes, bytearray)):
            size, path = len(source), None
        else:
            size, path = os.path.getsize(source), source
        all_headers = [("Content-Type", ctype or "application/octet-stream"), *headers]
        if etag:
            all_headers.append(("ETag", etag))
        if last_modified:
            all_headers.append(("Last-Modified", last_modified))
        if accept_ranges:
            all_headers.append(("Accept-Ranges", "bytes"))
        wanted = parse_range(self.headers.get("Range"), size) if honour_range else None
        if wanted is not None:
            validator = self.headers.get("If-Range")
            if validator is not None and validator.strip() not in (etag, last_modified):
                wanted = None
        if wanted == "unsatisfiable":
            self.send_bytes(416, b"", None, [("Content-Range", f"bytes */{size}")])
            return
        if wanted is None:
            status, first, last = 200, 0, size - 1
        else:
            status, (first, last) = 206, wanted
            all_headers.append(("Content-Range", f"bytes {first}-{last}/{size}"))
        length = last - first + 1 if size else 0
        self.start_response(status, all_headers, length)
        if self.head or length == 0:
            return
        if drop_after is not None and drop_after < length:
            length = drop_after
            self.close_connection = True  # the announced length is never reached: the client sees a cut body
        if path is None:
            self.write(bytes(source[first:first + length]))
            return
        with open(path, "rb") as f:
            f.seek(first)
            while length > 0:
                data = f.read(min(CHUNK, length))
                if not data:
                    self.close_connection = True  # the file shrank: stop short, like a real server
                    break
                self.write(data)
                length -= len(data)

    def base_url(self):
        """scheme://host:port the client used (when it is a loopback name), for absolute links."""
        host = self.headers.get("Host") or ""
        name = host.rsplit(":", 1)[0].strip("[]") if not host.startswith("[") else host[1:host.find("]")]
        if name in LOOPBACK_HOSTS and host:
            return f"http://{host}"
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def authorization(self):
        """(scheme lower-case, credentials) of the Authorization header, or (None, None)."""
        value = self.headers.get("Authorization")
        if not value:
            return None, None
        scheme, _, rest = value.strip().partition(" ")
        return scheme.lower(), rest.strip()

    def basic_credentials(self):
        scheme, rest = self.authorization()
        if scheme != "basic":
            return None
        try:
            user, sep, password = base64.b64decode(rest, validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return (user, password) if sep else None

    def bearer_token(self):
        scheme, rest = self.authorization()
        return rest if scheme == "bearer" and rest else None

    def q(self, name, default=None):
        return self.query.get(name, [default])[0]

    def route(self):
        raise NotImplementedError
