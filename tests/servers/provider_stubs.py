#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Loopback stubs of cxrcat's dataset providers (Python standard library only).

One process, one HTTP server per provider, each on its own port: zenodo, physionet, kaggle, huggingface,
huggingface_cdn (the host LFS downloads are redirected to), idc, idc_api, tcia and tcia_nlst (NLST's own NBIA
host). Every server reads the "world" directory (--world) on every request, so tests create content at run time without restarting anything.
The HTTP shapes follow ../shared/reference/provider-apis.md; tests/servers/README.md ("Provider stubs")
is the contract, provider_fixture.py starts and stops this process.

Usage: provider_stubs.py --world DIR --ready-file FILE [--log-dir DIR] [--max-lifetime SECONDS]
Listens on 127.0.0.1 (and ::1 on the same ports when the machine has IPv6 loopback), never on another
address. Exits on SIGTERM/SIGINT, and by itself after --max-lifetime seconds (default 2 h).
Never logs a secret: request logs and /__stats record whether an Authorization header was present and
its scheme, never its value, and secret-looking query parameters are redacted.
"""
import argparse
import base64
import datetime
import errno
import fnmatch
import hashlib
import hmac
import http.server
import io
import json
import os
import re
import secrets
import socket
import sys
import threading
import time
import traceback
import urllib.parse
import uuid
import zipfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fault_server import CONTENT_TYPES, http_date, parse_range  # noqa: E402  (same type map and Range rules)
from loopback_http import (ClientGone, LoopbackServer, send_head, serve_until_stopped,  # noqa: E402, I001
                           start_serving, write_body)
from request_stats import RequestStats  # noqa: E402

SERVERS = ("zenodo", "physionet", "kaggle", "huggingface", "huggingface_cdn", "idc", "idc_api", "tcia", "tcia_nlst")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
CHUNK = 256 * 1024
MAX_BODY = 1 << 20
CONTROL_PATHS = ("/__stats", "/__reset", "/__health")
SECRET_PARAMS = {"access_token", "token", "key", "api_key", "apikey", "password", "secret", "client_secret"}
ID_NAMESPACE = uuid.UUID("5d0b7f0e-3c1e-4f7e-9a51-6c7872636174")

_COUNTER_LOCK = threading.Lock()  # read-modify-write of _ratelimit / _unavailable counters


# --- small helpers ----------------------------------------------------------------------------------------

def iso_ms(timestamp):
    """2024-01-01T00:00:00.000Z"""
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_micro(timestamp):
    """2024-01-01T00:00:00.000000+00:00 (Invenio style)"""
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).isoformat()


def b64url_token(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def from_b64url_token(token):
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def redact_target(target):
    """The request target with the values of secret-looking query parameters replaced."""
    split = urllib.parse.urlsplit(target)
    if not split.query:
        return target
    pairs = urllib.parse.parse_qsl(split.query, keep_blank_values=True)
    if not any(k.lower() in SECRET_PARAMS for k, _ in pairs):
        return target
    query = urllib.parse.urlencode([(k, "REDACTED" if k.lower() in SECRET_PARAMS else v) for k, v in pairs])
    return urllib.parse.urlunsplit(("", "", split.path, query, ""))


def read_json(path, default):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def drop_in_json(root, name):
    """[<root>/<name>.json, then every <root>/<name>.d/*.json in name order], each parsed (bad ones skipped)."""
    documents = []
    single = read_json(os.path.join(root, f"{name}.json"), None)
    if single is not None:
        documents.append(single)
    directory = os.path.join(root, f"{name}.d")
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(".json"))
    except OSError:
        names = []
    for entry in names:
        doc = read_json(os.path.join(directory, entry), None)
        if doc is not None:
            documents.append(doc)
    return documents


def flag(unit_dir, name):
    return os.path.exists(os.path.join(unit_dir, name))


def read_int(path, default):
    try:
        with open(path, encoding="utf-8") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return default


def write_atomically(path, text):
    tmp = f"{path}.tmp{os.getpid()}.{threading.get_ident()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def consume_fault(unit_dir):
    """Fault counters of a unit directory: `_ratelimit` (429) and `_unavailable` (503) hold "N [S]".

    While N > 0 a request consumes one (the file is rewritten with N-1) and gets that status, with
    Retry-After: S (default 1 for 429, none for 503). Returns (status, retry_after or None) or None.
    """
    for name, status in (("_ratelimit", 429), ("_unavailable", 503)):
        path = os.path.join(unit_dir, name)
        with _COUNTER_LOCK:
            try:
                with open(path, encoding="utf-8") as f:
                    words = f.read().split()
                remaining = int(words[0])
            except (OSError, ValueError, IndexError):
                continue
            if remaining <= 0:
                continue
            retry_after = words[1] if len(words) > 1 else ("1" if status == 429 else None)
            write_atomically(path, f"{remaining - 1}" + (f" {words[1]}" if len(words) > 1 else "") + "\n")
            return status, retry_after
    return None


def take_counter(path):
    """A counter file "N [WORD...]": while N > 0 a call consumes one (the file is rewritten with N-1) and
    returns the other words; None when the file is absent, malformed or spent."""
    with _COUNTER_LOCK:
        try:
            with open(path, encoding="utf-8") as f:
                words = f.read().split()
            remaining = int(words[0])
        except (OSError, ValueError, IndexError):
            return None
        if remaining <= 0:
            return None
        write_atomically(path, " ".join([str(remaining - 1)] + words[1:]) + "\n")
        return words[1:]


def consume_count(unit_dir, name):
    """A counter file `name` holding "N": while N > 0 a call consumes one and returns True."""
    return take_counter(os.path.join(unit_dir, name)) is not None


def consume_drop(unit_dir):
    """`_drop` holds "N BYTES": while N > 0 a download consumes one and its body stops after BYTES bytes
    (a connection dropped mid-transfer, which any provider's answer can suffer). Returns BYTES or None."""
    rest = take_counter(os.path.join(unit_dir, "_drop"))
    return int(rest[0]) if rest and rest[0].isdigit() else None


def read_first_word(path, default):
    try:
        with open(path, encoding="utf-8") as f:
            words = f.read().split()
        return words[0] if words else default
    except OSError:
        return default


def read_lines(path):
    """The non-blank lines of a control file, stripped; [] when it does not exist."""
    try:
        with open(path, encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    except OSError:
        return []


def safe_segment(name):
    return bool(name) and name not in (".", "..") and "/" not in name and "\0" not in name


def unit_dir(root, *segments):
    """root/seg/seg... when every segment is a plain name not starting with '_' and the result is a directory."""
    if not all(safe_segment(s) and not s.startswith("_") for s in segments):
        return None
    path = os.path.join(root, *segments)
    return path if os.path.isdir(path) else None


def idc_page_size(bucket_dir, requested):
    """Objects per listing page of an IDC bucket: what the client asked for (0: the most), at most the API's
    maximum and the bucket's _page_size."""
    cap = read_int(os.path.join(bucket_dir, "_page_size"), IDC_DEFAULT_PAGE)
    return max(1, min(requested or IDC_MAX_RESULTS, IDC_MAX_RESULTS, cap))


def unit_path(unit, rel, kind):
    """unit/rel for the POSIX relative path rel when it stays inside unit and kind (os.path.isfile or isdir)
    holds of it; None for controls, escapes, '_' control names at the top and misses."""
    parts = rel.split("/")
    if not all(safe_segment(p) for p in parts) or parts[0].startswith("_"):
        return None
    path = os.path.join(unit, *parts)
    real, base = os.path.realpath(path), os.path.realpath(unit)
    if not real.startswith(base + os.sep) or not kind(real):
        return None
    return path


def unit_file(unit, rel):
    """A regular file inside unit for the POSIX relative path rel; None for controls, escapes and misses."""
    if unit is None or not rel:
        return None
    return unit_path(unit, rel, os.path.isfile)


def unit_subdir(unit, rel):
    """A directory inside unit (rel may be '' for unit itself); None for controls, escapes and misses."""
    if unit is None:
        return None
    rel = rel.strip("/")
    return unit_path(unit, rel, os.path.isdir) if rel else unit


def list_files(unit):
    """POSIX relative paths of the regular files below unit, sorted by bytes; top-level '_' names skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(unit):
        rel_dir = os.path.relpath(dirpath, unit)
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if not d.startswith("_")]
            filenames = [f for f in filenames if not f.startswith("_")]
        for name in filenames:
            if os.path.isfile(os.path.join(dirpath, name)):
                found.append(name if rel_dir == "." else f"{rel_dir.replace(os.sep, '/')}/{name}")
    found.sort(key=lambda s: s.encode("utf-8", "surrogateescape"))
    return found


def content_type(name):
    return CONTENT_TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")


# --- digests (cached by file identity) --------------------------------------------------------------------

def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


CRC32C_TABLE = _crc32c_table()


def crc32c_update(crc, data):
    table = CRC32C_TABLE
    crc ^= 0xFFFFFFFF
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


class Digests:
    """md5, sha1, sha256, git blob sha1 (and on demand crc32c) of files, cached by (path, size, mtime, inode)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.cache = {}

    @staticmethod
    def _key(path):
        st = os.stat(path)
        return (os.path.realpath(path), st.st_size, st.st_mtime_ns, st.st_ino), st

    def get(self, path, crc=False):
        key, st = self._key(path)
        with self.lock:
            cached = self.cache.get(key)
        if cached is None or (crc and "crc32c" not in cached):
            cached = dict(cached or {})
            if "md5" not in cached:
                md5, sha1, sha256 = hashlib.md5(), hashlib.sha1(), hashlib.sha256()
                git = hashlib.sha1(b"blob %d\0" % st.st_size)
                with open(path, "rb") as f:
                    while chunk := f.read(1 << 20):
                        for h in (md5, sha1, sha256, git):
                            h.update(chunk)
                cached.update({"size": st.st_size, "mtime": st.st_mtime, "mtime_ns": st.st_mtime_ns,
                               "md5": md5.hexdigest(), "md5_raw": md5.digest(), "sha1": sha1.hexdigest(),
                               "sha256": sha256.hexdigest(), "git_sha1": git.hexdigest()})
            if crc:
                value = 0
                with open(path, "rb") as f:
                    while chunk := f.read(1 << 20):
                        value = crc32c_update(value, chunk)
                cached["crc32c"] = value
            with self.lock:
                if len(self.cache) > 10000:
                    self.cache.clear()
                self.cache[key] = cached
        return cached


# --- per-server counters and request log ------------------------------------------------------------------

Stats = RequestStats  # per-server counters and request log, same shape as fault_server.py's


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


# --- the common handler -----------------------------------------------------------------------------------

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


# --- Zenodo -----------------------------------------------------------------------------------------------

ZENODO_KEY_SAFE = "/!$&'()*+,;=:@"
ZENODO_RATE_LIMIT = 133
ZENODO_NOT_FOUND_PID = "The persistent identifier does not exist."
ZENODO_NOT_FOUND_URL = ("The requested URL was not found on the server. If you entered the URL manually please "
                        "check your spelling and try again.")


class ZenodoHandler(StubHandler):
    """<world>/zenodo/<record id>/<files>; controls in the record directory:
    _meta.json {title, version, license, access_right, conceptrecid, deleted, metadata{...}},
    _legacy.json (post-migration files[] shape), _bucket.json (pre-2023 files[] shape), _restricted
    (files hidden: "files": []), _api_range (the /api/.../content route honours Range),
    _ratelimit / _unavailable counters, _drop "N BYTES" (the next N downloads stop after BYTES body
    bytes), _validators (downloads carry "etag", "last-modified", "both" — the default — or "none")."""
    provider = "zenodo"
    window = [0, 0]  # [minute, requests in that minute], per class: only one zenodo server exists
    hits = {}  # record (or "") -> times of its requests in the last minute: the moving window's Retry-After
    RECORD_IN_PATH = re.compile(r"/(?:api/)?records?/([0-9]{1,18})(?:/|$)")

    def common_headers(self):
        # Zenodo's rate limiter rides on every response, 200 and 206 included: invenio-app sets
        # RATELIMIT_HEADERS_ENABLED = True and RATELIMIT_STRATEGY = "moving-window"
        # (inveniosoftware/invenio-app:invenio_app/config.py), and Flask-Limiter's __inject_headers
        # then adds X-RateLimit-Limit/-Remaining/-Reset and *sets* Retry-After (seconds to the
        # window's reset) on every response, merging a Retry-After the view already set
        # (alisaifee/flask-limiter:flask_limiter/_extension.py; its test_headers_* expect
        # "Retry-After: 60" on a plain 200). A capture of a real 206 from Zenodo shows the same
        # (galaxyproject/galaxy#15296: X-RateLimit-Remaining: 58, Retry-After: 59).
        # The window is keyed per record here (Zenodo keys it per client) so parallel tests stay apart.
        if getattr(self, "bare", False):
            return []  # a 503 from the proxy in front of the application carries no limiter headers
        now = time.time()
        minute = int(now // 60)
        if self.window[0] != minute:
            self.window[:] = [minute, 0]
        self.window[1] += 1
        remaining = 0 if getattr(self, "limited", False) else max(0, ZENODO_RATE_LIMIT - self.window[1])
        match = self.RECORD_IN_PATH.match(getattr(self, "raw_path", "") or "")
        key = match.group(1) if match else ""
        with _COUNTER_LOCK:
            recent = [t for t in self.hits.get(key, []) if t > now - 60] + [now]
            self.hits[key] = recent
        retry_after = max(1, int(recent[0] + 60 - now))
        return [("X-RateLimit-Limit", str(ZENODO_RATE_LIMIT)), ("X-RateLimit-Remaining", str(remaining)),
                ("X-RateLimit-Reset", str((minute + 1) * 60)), ("Retry-After", str(retry_after))]

    def error(self, status, message, headers=()):
        self.send_json(status, {"status": status, "message": message}, headers)

    def route(self):
        self.limited = False  # one handler object serves every request of a keep-alive connection
        self.bare = False
        parts = self.raw_path.split("/")
        if self.method not in ("GET", "HEAD"):
            self.error(405, "The method is not allowed for the requested URL.")
            return
        # /api/records/{id}[/files[/{key...}[/content]]]
        if len(parts) >= 4 and parts[1:3] == ["api", "records"]:
            record = parts[3]
            rest = parts[4:]
            if not rest:
                self.record(record)
            elif rest == ["versions", "latest"]:
                self.latest(record)
            elif rest == ["files"]:
                self.record(record, rdm_files=True)
            elif rest[0] == "files" and len(rest) >= 3 and rest[-1] == "content":
                directory = self.record_dir(record)
                if directory and flag(directory, "_bucket.json"):
                    # pre-2023 records had no /content route: their one link is /api/files/<bucket>/<key>
                    self.error(404, ZENODO_NOT_FOUND_URL)
                    return
                self.file(record, "/".join(rest[1:-1]), api=True)
            elif rest[0] == "files" and len(rest) >= 2:
                self.record(record, rdm_entry=urllib.parse.unquote("/".join(rest[1:])))
            else:
                self.error(404, ZENODO_NOT_FOUND_URL)
        elif len(parts) >= 5 and parts[1:3] == ["api", "files"]:
            self.bucket_file(parts[3], "/".join(parts[4:]))
        elif len(parts) >= 5 and parts[1] in ("records", "record") and parts[3] == "files":
            if parts[1] == "record":  # legacy form: the redirector sends it to /records/
                target = "/records/" + "/".join(parts[2:])
                query = urllib.parse.urlsplit(self.path).query
                self.redirect(301, target + (f"?{query}" if query else ""))
                return
            self.file(parts[2], "/".join(parts[4:]), api=False)
        elif len(parts) == 3 and parts[1] == "records":
            if self.record_dir(parts[2]) is None:
                self.send_html(404, "<!DOCTYPE html><title>Not found</title><h1>Not found</h1>\n")
            else:
                self.send_html(200, f"<!DOCTYPE html><title>Record {parts[2]}</title><h1>Zenodo stub record "
                                    f"{parts[2]}</h1>\n")
        else:
            self.error(404, ZENODO_NOT_FOUND_URL)

    def record_dir(self, record):
        if not re.fullmatch(r"[0-9]{1,18}", record or ""):
            return None
        return unit_dir(self.shared.root("zenodo"), record)

    def faults(self, directory):
        fault = consume_fault(directory)
        if fault is None:
            return False
        status, retry_after = fault
        self.limited = status == 429
        self.bare = status == 503 and not retry_after
        # A fault's own Retry-After stands for the limiter's value at that moment.
        headers = [("Retry-After", retry_after)] if retry_after else []
        message = ("The rate limit has been exceeded. Please slow down your requests." if status == 429
                   else "Service temporarily unavailable.")
        self.error(status, message, headers)
        return True

    @staticmethod
    def bucket_id(record):
        return str(uuid.uuid5(ID_NAMESPACE, f"zenodo-bucket/{record}"))

    def file_entry(self, record, key, path, base, legacy):
        digest = self.shared.digests.get(path)
        link = f"{base}/api/records/{record}/files/{urllib.parse.quote(key, safe=ZENODO_KEY_SAFE)}/content"
        file_id = str(uuid.uuid5(ID_NAMESPACE, f"zenodo/{record}/{key}"))
        if legacy == "bucket":
            # Before the 2023-10-13 migration: key/size/"md5:" checksum, the bucket, and links.self =
            # /api/files/<bucket>/<key> as the download link (api-drift-2026.md §4.1 table, row 1;
            # fatiando/pooch PR #373 and renku-python#3644 parse this shape).
            bucket = self.bucket_id(record)
            return {"id": file_id, "key": key, "size": digest["size"], "checksum": "md5:" + digest["md5"],
                    "bucket": bucket,
                    "links": {"self": f"{base}/api/files/{bucket}/{urllib.parse.quote(key, safe=ZENODO_KEY_SAFE)}"}}
        if legacy:
            return {"id": file_id, "filename": key, "filesize": digest["size"], "checksum": digest["md5"],
                    "links": {"self": link, "download": link}}
        return {"id": file_id, "key": key, "size": digest["size"], "checksum": "md5:" + digest["md5"],
                "links": {"self": link}}

    def record(self, record, rdm_files=False, rdm_entry=None):
        directory = self.record_dir(record)
        if directory is None:
            self.error(404, ZENODO_NOT_FOUND_PID)
            return
        if self.faults(directory):
            return
        meta = read_json(os.path.join(directory, "_meta.json"), {})
        if not isinstance(meta, dict):
            meta = {}
        if meta.get("deleted"):
            self.error(410, "The record has been deleted.")
            return
        base = self.base_url()
        api = f"{base}/api"
        keys = list_files(directory)
        if rdm_files or rdm_entry is not None:
            entries = []
            for key in keys:
                digest = self.shared.digests.get(os.path.join(directory, *key.split("/")))
                quoted = urllib.parse.quote(key, safe=ZENODO_KEY_SAFE)
                entries.append({"key": key, "size": digest["size"], "checksum": "md5:" + digest["md5"],
                                "mimetype": content_type(key), "status": "completed",
                                "links": {"self": f"{api}/records/{record}/files/{quoted}",
                                          "content": f"{api}/records/{record}/files/{quoted}/content"}})
            if rdm_entry is not None:
                match = [e for e in entries if e["key"] == rdm_entry]
                if match:
                    self.send_json(200, match[0])
                else:
                    self.error(404, ZENODO_NOT_FOUND_URL)
                return
            self.send_json(200, {"enabled": True, "entries": entries, "order": [],
                                 "links": {"self": f"{api}/records/{record}/files"}})
            return
        legacy = "bucket" if flag(directory, "_bucket.json") else flag(directory, "_legacy.json")
        files = [self.file_entry(record, key, os.path.join(directory, *key.split("/")), base, legacy)
                 for key in keys]
        if flag(directory, "_restricted"):
            files = []  # restricted records list no files: a real capture, 2024-08 (api-drift-2026.md §4.1)
        created = os.stat(directory).st_mtime
        conceptrecid = str(meta.get("conceptrecid", int(record) - 1 if int(record) > 1 else int(record) + 1))
        title = meta.get("title", f"Stub record {record}")
        doi = f"10.5281/zenodo.{record}"
        metadata = {"title": title, "doi": doi, "publication_date": time.strftime("%Y-%m-%d", time.gmtime(created)),
                    "description": f"<p>Loopback stub of Zenodo record {record}.</p>",
                    "access_right": meta.get("access_right", "open"),
                    "creators": [{"name": "Stub, Test"}], "resource_type": {"title": "Dataset", "type": "dataset"},
                    "relations": {"version": [{"index": 0, "is_last": True,
                                               "parent": {"pid_type": "recid", "pid_value": conceptrecid}}]}}
        if meta.get("version") is not None:
            metadata["version"] = meta["version"]
        license_id = meta.get("license", "cc-by-4.0")
        if license_id:
            metadata["license"] = {"id": license_id}
        if isinstance(meta.get("metadata"), dict):
            metadata.update(meta["metadata"])
        document = {
            "created": iso_micro(created), "modified": iso_micro(created), "updated": iso_micro(created),
            "id": int(record), "recid": record, "conceptrecid": conceptrecid, "doi": doi,
            "conceptdoi": f"10.5281/zenodo.{conceptrecid}", "doi_url": f"https://doi.org/{doi}",
            "metadata": metadata, "title": title,
            "links": {"self": f"{api}/records/{record}", "self_html": f"{base}/records/{record}",
                      "doi": f"https://doi.org/{doi}", "files": f"{api}/records/{record}/files",
                      "latest": f"{api}/records/{record}/versions/latest"},
            "updated_by": None, "revision": 1, "owners": [{"id": 1}], "status": "published", "state": "done",
            "submitted": True, "stats": {"downloads": 0, "unique_downloads": 0, "views": 0, "unique_views": 0,
                                         "version_downloads": 0, "version_unique_downloads": 0,
                                         "version_unique_views": 0, "version_views": 0},
            "swh": {}, "files": files,
        }
        self.send_json(200, document)

    def latest(self, concept):
        """GET /api/records/<id>/versions/latest: a redirect to the newest version's record, also for a
        concept id whose own /api/records/<id> answers 404 (invenio-rdm-records
        resources/resources.py RDMRecordResource.read_latest raises RedirectException(item["links"]["self"]);
        zenodo/zenodo#2499, nipoppy/nipoppy#1111). A record joins a concept only through its
        _meta.json "conceptrecid" here."""
        root = self.shared.root("zenodo")
        versions = []
        for name in os.listdir(root) if os.path.isdir(root) else []:
            directory = self.record_dir(name)
            meta = read_json(os.path.join(directory, "_meta.json"), {}) if directory else {}
            if isinstance(meta, dict) and (name == concept or str(meta.get("conceptrecid")) == concept):
                versions.append(int(name))
        if not versions:
            self.error(404, ZENODO_NOT_FOUND_PID)
            return
        self.redirect(302, f"{self.base_url()}/api/records/{max(versions)}")

    def bucket_file(self, bucket, raw_key):
        """GET /api/files/<bucket>/<key>: the pre-2023 download link of a _bucket.json record."""
        root = self.shared.root("zenodo")
        for name in os.listdir(root) if os.path.isdir(root) else []:
            directory = self.record_dir(name)
            if directory and flag(directory, "_bucket.json") and self.bucket_id(name) == bucket:
                self.file(name, raw_key, api=True)
                return
        self.error(404, ZENODO_NOT_FOUND_URL)

    def file(self, record, raw_key, api):
        directory = self.record_dir(record)
        if directory is None:
            self.error(404, ZENODO_NOT_FOUND_PID)
            return
        if self.faults(directory):  # every request counts, Range requests included
            return
        key = urllib.parse.unquote(raw_key)
        path = unit_file(directory, key)
        if path is None:
            self.error(404, ZENODO_NOT_FOUND_URL)
            return
        digest = self.shared.digests.get(path)
        ctype = content_type(key)
        download = "download" in self.query
        disposition = "attachment" if (download or ctype == "application/octet-stream") else "inline"
        headers = [("Content-Disposition", f"{disposition}; filename={os.path.basename(key)}"),
                   ("Content-Security-Policy", "default-src 'none';"), ("X-Content-Type-Options", "nosniff"),
                   ("X-Frame-Options", "deny")]
        # Validators. invenio-files-rest's send_stream sets ETag "md5:<hex>" and Last-Modified, and the
        # pre-2023 capture shows both (galaxyproject/galaxy#15296). But in production the post-2023
        # Zenodo offloads downloads to EOS through nginx X-Accel-Redirect, and that response is built
        # without ETag or Last-Modified (zenodo/zenodo-rdm:site/zenodo_rdm/files.py,
        # EOSFilesOffload.send_file): what reaches the client then depends on the storage behind
        # nginx, which no public source shows. `_validators` picks the case to reproduce.
        validators = read_first_word(os.path.join(directory, "_validators"), "both")
        etag = f'"md5:{digest["md5"]}"' if validators in ("both", "etag") else None
        last_modified = http_date(digest["mtime"]) if validators in ("both", "last-modified") else None
        drop_after = consume_drop(directory)
        if api:
            honour = flag(directory, "_api_range")
            headers.append(("Access-Control-Allow-Origin", "*"))
            self.send_content(path, honour_range=honour, accept_ranges=honour, etag=etag,
                              last_modified=last_modified, ctype=ctype, headers=headers, drop_after=drop_after)
        else:
            headers.append(("Content-MD5", digest["md5"]))
            self.send_content(path, etag=etag, last_modified=last_modified, ctype=ctype, headers=headers,
                              drop_after=drop_after)


# --- PhysioNet --------------------------------------------------------------------------------------------

PHYSIONET_REALM = "PhysioNet"
PHYSIONET_ALLOWED_UA = ("Wget/", "libwfdb/")
PHYSIONET_403 = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>403 Forbidden | PhysioNet</title></head>
<body>
<h1>403 Forbidden</h1>
<p>You do not have permission to access this resource.</p>
</body>
</html>
"""
PHYSIONET_404 = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>404 Not Found | PhysioNet</title></head>
<body><h1>Page Not Found</h1><p>The requested page could not be found.</p></body>
</html>
"""
PHYSIONET_LOGIN = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Log in | PhysioNet</title></head>
<body>
<h1>Account Login</h1>
<form action="/login/" method="post">
<input type="hidden" name="csrfmiddlewaretoken" value="stub">
<label>Email or Username <input type="text" name="username"></label>
<label>Password <input type="password" name="password"></label>
<button type="submit">Login</button>
</form>
</body>
</html>
"""


class PhysioNetHandler(StubHandler):
    """<world>/physionet/<slug>/<version>/<files>; <world>/physionet/_users.json (+ _users.d/*.json)
    {"user": {"password", "credentialed", "dua": ["slug/version"], "email"?}}; _open.json (+ _open.d/*.json)
    ["slug" or "slug/version", ...] or a `_open` flag in the version directory; in the version directory:
    _html_login (empty: every /files/ path, else one glob per line), _ratelimit / _unavailable counters."""
    provider = "physionet"

    def route(self):
        path = urllib.parse.unquote(self.raw_path)
        files = re.fullmatch(r"/files/([\w-]+)/([\d.]+)(/.*)?", path)
        if files:
            slug, version, rest = files.group(1), files.group(2), files.group(3)
            if rest is None:  # the project directory without its slash
                if self.project_dir_or_404(slug, version) is not None:
                    self.redirect(302, f"/files/{slug}/{version}/")
                return
            self.files(slug, version, rest[1:])
            return
        content = re.fullmatch(r"/content/([\w-]+)/(?:([\d.]+)/)?", path)
        if content and self.method in ("GET", "HEAD"):
            self.landing(content.group(1), content.group(2))
            return
        sign = re.fullmatch(r"/sign-dua/([\w-]+)/([\d.]+)/", path)
        if sign and self.project_dir(sign.group(1), sign.group(2)):
            self.redirect(302, "/login/?next=" + urllib.parse.quote(path, safe=""))
            return
        if path == "/login/":
            self.send_html(200, PHYSIONET_LOGIN)
            return
        self.send_html(404, PHYSIONET_404)

    def project_dir(self, slug, version):
        return unit_dir(self.shared.root("physionet"), slug, version)

    def project_dir_or_404(self, slug, version):
        directory = self.project_dir(slug, version)
        if directory is None:
            self.send_html(404, PHYSIONET_404)
        return directory

    def landing(self, slug, version):
        if version is None:
            versions = self.versions(slug)
            if not versions:
                self.send_html(404, PHYSIONET_404)
                return
            version = versions[-1]
        if self.project_dir(slug, version) is None:
            self.send_html(404, PHYSIONET_404)
            return
        self.send_html(200, f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{slug} v{version} | PhysioNet</title></head>
<body><h1>{slug} (version {version})</h1>
<p><a href="/sign-dua/{slug}/{version}/">sign the data use agreement</a> for the project</p>
<p><a href="/files/{slug}/{version}/">Files</a></p></body></html>
""")

    def versions(self, slug):
        directory = unit_dir(self.shared.root("physionet"), slug)
        if directory is None:
            return []
        found = [v for v in os.listdir(directory) if re.fullmatch(r"[\d.]+", v) and os.path.isdir(
            os.path.join(directory, v))]
        return sorted(found, key=lambda v: [int(x) if x.isdigit() else 0 for x in v.split(".")])

    def is_open(self, slug, version, directory):
        if flag(directory, "_open"):
            return True
        for document in drop_in_json(self.shared.root("physionet"), "_open"):
            if isinstance(document, list) and (slug in document or f"{slug}/{version}" in document):
                return True
        return False

    def users(self):
        merged = {}
        for document in drop_in_json(self.shared.root("physionet"), "_users"):
            if isinstance(document, dict):
                merged.update({k: v for k, v in document.items() if isinstance(v, dict)})
        return merged

    def access(self, slug, version, directory):
        """None when the request may read the project; else sends 401/403 and returns False."""
        if self.is_open(slug, version, directory):
            return None
        agent = self.headers.get("User-Agent") or ""
        if self.method in ("GET", "HEAD") and agent.startswith(PHYSIONET_ALLOWED_UA):
            credentials = self.basic_credentials()
            account = None
            if credentials:
                name, password = credentials[0].lower(), credentials[1]
                for user, record in self.users().items():
                    if name in (user.lower(), str(record.get("email", "")).lower()):
                        if hmac.compare_digest(str(record.get("password", "")).encode(), password.encode()):
                            account = record
                        break
            if account is None:  # no or wrong credentials: the Basic challenge
                self.send_bytes(401, b"", "text/html; charset=utf-8", [
                    ("WWW-Authenticate", f'Basic realm="{PHYSIONET_REALM}", charset="UTF-8"'),
                    ("Set-Cookie", "testcookie=1; Path=/")])
                return False
            duas = account.get("dua") or []
            if account.get("credentialed") and f"{slug}/{version}" in duas:
                return None
        # a browser or any other User-Agent is anonymous (its Authorization header is ignored): never a 401
        self.send_html(403, PHYSIONET_403)
        return False

    def html_login(self, directory, rel):
        path = os.path.join(directory, "_html_login")
        try:
            with open(path, encoding="utf-8") as f:
                globs = [line.strip() for line in f if line.strip()]
        except OSError:
            return False
        return not globs or any(fnmatch.fnmatchcase(rel, g) for g in globs)

    def files(self, slug, version, rel):
        directory = self.project_dir_or_404(slug, version)
        if directory is None:
            return
        fault = consume_fault(directory)
        if fault is not None:
            status, retry_after = fault
            self.send_html(status, f"<!DOCTYPE html><title>{status}</title><h1>{status}</h1>\n",
                           [("Retry-After", retry_after)] if retry_after else [])
            return
        if self.method not in ("GET", "HEAD"):
            self.send_html(405, "<!DOCTYPE html><title>405</title><h1>Method Not Allowed</h1>\n",
                           [("Allow", "GET, HEAD")])
            return
        if self.html_login(directory, rel):
            self.send_html(200, PHYSIONET_LOGIN, [("Cache-Control", "no-store")])
            return
        if self.access(slug, version, directory) is False:
            return
        if rel == "" or rel.endswith("/"):
            sub = unit_subdir(directory, rel)
            if sub is None:
                self.send_html(404, PHYSIONET_404)
            else:
                self.listing(directory, sub, rel)
            return
        if rel == "SHA256SUMS.txt" and not os.path.isfile(os.path.join(directory, rel)):
            body = self.checksums(directory).encode()
            self.send_content(body, etag=f'"{hashlib.md5(body).hexdigest()}"', ctype="text/plain",
                              headers=[("Content-Disposition", "inline; filename=SHA256SUMS.txt")])
            return
        path = unit_file(directory, rel)
        if path is None:
            if unit_subdir(directory, rel) is not None:
                self.redirect(302, f"/files/{slug}/{version}/{urllib.parse.quote(rel)}/")
            else:
                self.send_html(404, PHYSIONET_404)
            return
        st = os.stat(path)
        disposition = "attachment" if "download" in self.query else "inline"
        self.send_content(path, etag=f'"{int(st.st_mtime):x}-{st.st_size:x}"', last_modified=http_date(st.st_mtime),
                          ctype=content_type(path),
                          headers=[("Content-Disposition", f"{disposition}; filename={os.path.basename(path)}")])

    def checksums(self, directory):
        # One file at the version root lists every file below it, recursively (files/p10/... too), as
        # `<sha256><one space><path>\n`, and never itself: physionet-build writes it that way
        # (MIT-LCP/physionet-build: physionet-django/project/projectfiles/local.py, make_checksum_file).
        # Its order cannot be relied on: since 2019-07-02 (commit ff0419f6) it follows
        # sorted_tree_files, but files made before that (MIMIC-CXR-JPG 2.0.0 was published in 2019)
        # follow get_tree_files, i.e. os.scandir order, whatever the filesystem returned. The stub
        # lists in reverse byte order so that a client which assumes sorted input fails here.
        lines = []
        for rel in reversed(list_files(directory)):
            if rel == "SHA256SUMS.txt":
                continue
            lines.append(f"{self.shared.digests.get(os.path.join(directory, *rel.split('/')))['sha256']} {rel}\n")
        return "".join(lines)

    def listing(self, directory, sub, rel):
        names = []
        for name in sorted(os.listdir(sub)):
            if sub == directory and name.startswith("_"):
                continue
            names.append(name + "/" if os.path.isdir(os.path.join(sub, name)) else name)
        items = "".join(f'<li><a href="{urllib.parse.quote(n)}">{n}</a></li>' for n in names)
        self.send_html(200, f"<!DOCTYPE html><html><head><title>Index of /{rel}</title></head><body>"
                            f"<ul>{items}</ul></body></html>\n")


# --- Kaggle -----------------------------------------------------------------------------------------------

KAGGLE_RULES_403 = (b'{"code":403,"message":"You must accept this competition\\u0027s rules before you\\u0027ll '
                    b'be able to download files."}')
# An unknown competition (or one this account may not see) is a 403 naming the permission, not a 404:
# "Permission 'competitions.get' was denied" for a file list (Kaggle/kaggle-cli#488, a misspelt name,
# confirmed by a Kaggle engineer there) and "Required permission 'competitions.get' was not satisfied" for
# a download (Kaggle/kaggle-cli#448, with the raw response headers: Content-Type application/json).
KAGGLE_GET_DENIED_LIST = "Permission 'competitions.get' was denied"
KAGGLE_GET_DENIED_DOWNLOAD = "Required permission 'competitions.get' was not satisfied"
# Another 403 Kaggle sends: "403 - Forbidden - Permission 'competitions.participate' was denied"
# (Kaggle/kaggle-cli#555 on a download, #530 on a submission).
KAGGLE_PARTICIPATE_DENIED = "Permission 'competitions.participate' was denied"
KAGGLE_DEFAULT_PAGE = 2
KAGGLE_SIGNED_EXPIRES = 600


class KaggleHandler(StubHandler):
    """<world>/kaggle/<competition>/<files>; <world>/kaggle/_auth.json (+ _auth.d/*.json)
    {"keys": {"user": "key"}, "tokens": ["KGAT_..."], "accepted": {"competition": ["user" or token]}};
    in the competition directory: _bare_array, _rules_on_list, _participate_denied, _page_size (N),
    _signed_expires (seconds), _zipped (globs: files served as a zip of themselves), _zipped_padding (N, a
    fault: bytes added to the zipped member), _ratelimit / _unavailable counters; the 2026 world: _legacy_401
    (the REST paths answer 401), _rpc_absent (the RPC paths answer 404), _int64_strings (totalBytes as a
    string), _ratelimit_download (N: RPC downloads answer 429 RESOURCE_EXHAUSTED), _goog_hash_wrong (a fault:
    the signed answer's X-Goog-Hash md5 is not its bytes'), _archive_refused (a status: DownloadDataFiles
    alone answers it), _archive_padding (N, a fault: bytes added to the first member of the whole-competition
    zip). Datasets live in <world>/kaggle/_datasets/<owner>/<slug>/<files>, with the controls _page_size,
    _legacy_401, _int64_strings, _goog_hash_wrong, _signed_expires and _version (N, the one version served,
    default 1). RPC requests are counted in /__stats under "<path>/<competitionName>" or
    "<path>/<ownerSlug>/<datasetSlug>", so that tests running at once keep their counters apart."""
    provider = "kaggle"
    RPC_PATH = re.compile(r"/v1/competitions\.CompetitionApiService/(\w+)")
    # kagglesdk's DatasetApiClient (Kaggle/kaggle-api@cdc969b src/kagglesdk/datasets/services/
    # dataset_api_service.py): self._client.call("datasets.DatasetApiService", "<Method>", request, ...).
    DATASET_RPC_PATH = re.compile(r"/v1/datasets\.DatasetApiService/(\w+)")

    def rpc_request(self):
        """The JSON body of an RPC POST as a dict, or None."""
        if self.method != "POST" or not (self.RPC_PATH.fullmatch(self.raw_path)
                                         or self.DATASET_RPC_PATH.fullmatch(self.raw_path)):
            return None
        try:
            request = json.loads(self.body or b"{}")
        except ValueError:
            return None
        return request if isinstance(request, dict) else None

    @staticmethod
    def dataset_key(request):
        """"<ownerSlug>/<datasetSlug>" of a datasets-service request, or None."""
        owner, slug = (request or {}).get("ownerSlug"), (request or {}).get("datasetSlug")
        if isinstance(owner, str) and isinstance(slug, str) and safe_segment(owner) and safe_segment(slug):
            return f"{owner}/{slug}"
        return None

    def unit(self, key):
        """The directory of a competition ("<slug>") or a dataset ("<owner>/<slug>"), or None."""
        if not isinstance(key, str):
            return None
        if "/" in key:
            owner, _, slug = key.partition("/")
            return unit_dir(os.path.join(self.shared.root("kaggle"), "_datasets"), owner, slug)
        return self.competition_dir(key)

    def stats_path(self):
        request = self.rpc_request()
        if request is not None and self.DATASET_RPC_PATH.fullmatch(self.raw_path) and self.dataset_key(request):
            self.entry["rpc_body"] = request
            return f"{self.raw_path}/{self.dataset_key(request)}"
        competition = request.get("competitionName") if request else None
        if isinstance(competition, str) and safe_segment(competition):
            # The request's fields carry no secret: logged so that tests can read pageToken and fileName.
            self.entry["rpc_body"] = request
            return f"{self.raw_path}/{competition}"
        return self.raw_path

    def error(self, status, message, headers=()):
        if status == 429 and (self.RPC_PATH.fullmatch(self.raw_path) or self.DATASET_RPC_PATH.fullmatch(self.raw_path)):
            # The RPC API's 429 is Google's error model (Kaggle/kaggle-cli#931, 2026-02-26, quoted in
            # api-drift-2026.md §6.3): {"error": {"code": 429, "message": "Too many requests", "status":
            # "RESOURCE_EXHAUSTED"}}. Its other errors are {"code", "message"}: kagglesdk's
            # kaggle_http_client.py `KaggleHttpClient._prepare_response` reads resp["code"], resp["message"].
            self.send_json(status, {"error": {"code": 429, "message": "Too many requests",
                                              "status": "RESOURCE_EXHAUSTED"}}, headers)
            return
        self.send_json(status, {"code": status, "message": message}, headers)

    def competition_dir(self, competition):
        if not isinstance(competition, str) or not safe_segment(competition):
            return None
        return unit_dir(self.shared.root("kaggle"), competition)

    def route(self):
        path = self.raw_path
        legacy = re.fullmatch(r"/api/v1/competitions/data/(list|download|download-all)/([^/]+)(?:/(.+))?", path)
        rpc = self.RPC_PATH.fullmatch(path)
        legacy_dir = self.competition_dir(urllib.parse.unquote(legacy.group(2))) if legacy else None
        rpc_dir = self.competition_dir((self.rpc_request() or {}).get("competitionName")) if rpc else None
        dataset_rpc = self.DATASET_RPC_PATH.fullmatch(path)
        legacy_dataset = re.fullmatch(r"/api/v1/datasets/(?:list|download)/([^/]+)/([^/]+)(?:/.*)?", path)
        if path.startswith("/__signed/") or path.startswith("/__signed-zip/"):
            self.signed(path)
        elif legacy_dataset:
            # The REST paths of kaggle <= 1.7.4.5 (api-drift-2026.md §6.1, `…/datasets/download/{owner_slug}/
            # {dataset_slug}`); today's clients call only the datasets service, so the stub serves no REST
            # dataset. _legacy_401: such a path answers 401 as the old competition path did (kaggle-cli#831).
            key = "/".join(urllib.parse.unquote(g) for g in legacy_dataset.groups())
            directory = self.unit(key)
            self.error(401 if directory and flag(directory, "_legacy_401") else 404,
                       "Unauthenticated" if directory and flag(directory, "_legacy_401") else "Not found")
        elif dataset_rpc:
            self.dataset_rpc(dataset_rpc.group(1))
        elif legacy_dir and flag(legacy_dir, "_legacy_401"):
            # kaggle-cli#831 (2025-08, api-drift-2026.md §6.1): the old download-all path answered 401/403,
            # not 404, to the clients that moved to RPC. Its body is not quoted there: this one is the stub's.
            self.error(401, "Unauthenticated")
        elif rpc_dir and flag(rpc_dir, "_rpc_absent"):
            # Not Kaggle's behaviour: a host (proxy, mirror, older deployment) that serves only the REST
            # paths. The references say nothing of how such a host answers; a plain 404 is assumed.
            self.error(404, "Not found")
        elif legacy and self.method in ("GET", "HEAD"):
            kind, competition, name = legacy.group(1), urllib.parse.unquote(legacy.group(2)), legacy.group(3)
            if kind == "list" and name is None:
                self.list_files(competition, self.q("pageSize"), self.q("pageToken", ""), legacy_get=True)
            elif kind == "download" and name:
                self.download(competition, urllib.parse.unquote(name))
            elif kind == "download-all" and name is None:
                self.download_all(competition)
            else:
                self.error(404, "Not found")
        elif rpc and self.method == "POST":
            try:
                request = json.loads(self.body or b"{}")
                if not isinstance(request, dict):
                    raise ValueError("not an object")
            except ValueError:
                self.error(400, "Invalid JSON request body")
                return
            competition = request.get("competitionName")
            method = rpc.group(1)
            if method not in ("ListDataFiles", "DownloadDataFile", "DownloadDataFiles"):
                self.error(404, f"Unknown method {method}")
            elif not isinstance(competition, str) or not competition:
                self.error(400, "competitionName is required")
            elif method == "ListDataFiles":
                self.list_files(competition, request.get("pageSize"), request.get("pageToken") or "",
                                legacy_get=False)
            elif method.startswith("Download") and rpc_dir and consume_count(rpc_dir, "_ratelimit_download"):
                # kaggle-cli#931: downloads answered 429 repeatedly while ListDataFiles did not; no
                # Retry-After is quoted there, so none is sent.
                self.error(429, "Too many requests")
            elif method == "DownloadDataFile":
                name = request.get("fileName")
                if not isinstance(name, str) or not name:
                    self.error(400, "fileName is required")
                else:
                    self.download(competition, name)
            elif rpc_dir and read_int(os.path.join(rpc_dir, "_archive_refused"), 0):
                # DownloadDataFiles alone refused, every time: kaggle-cli#931 (2026-02-26) shows it answering
                # 429 RESOURCE_EXHAUSTED repeatedly while the other methods answered; a 403 or 404 for the
                # archive alone is not documented, the control only lets tests pick the status.
                status = read_int(os.path.join(rpc_dir, "_archive_refused"), 429)
                self.error(status, "Too many requests" if status == 429 else "Not found" if status == 404
                           else "Permission denied")
            else:
                self.download_all(competition)
        else:
            self.error(404, "Not found")

    def dataset_rpc(self, method):
        """ListDatasetFiles and DownloadDataset, as kaggle-cli's `dataset_list_files` / `dataset_download_file` /
        `dataset_download_files` (Kaggle/kaggle-api@1744cda src/kaggle/api/kaggle_api_extended.py) and kagglehub's
        DatasetHttpResolver (Kaggle/kagglehub@5584faf src/kagglehub/http_resolver.py) call them; request fields
        from Kaggle/kaggle-api@cdc969b src/kagglesdk/datasets/types/dataset_api_service.py."""
        request = self.rpc_request() if self.method == "POST" else None
        key = self.dataset_key(request)
        if request is None:
            self.error(400 if self.method == "POST" else 404, "Invalid JSON request body" if self.method == "POST"
                       else "Not found")
        elif method not in ("ListDatasetFiles", "DownloadDataset"):
            self.error(404, f"Unknown method {method}")
        elif key is None:
            self.error(400, "ownerSlug and datasetSlug are required")
        elif method == "ListDatasetFiles":
            self.list_files(key, request.get("pageSize"), request.get("pageToken") or "", legacy_get=False,
                            version=request.get("datasetVersionNumber"))
        elif request.get("fileName"):
            self.download(key, str(request["fileName"]), version=request.get("datasetVersionNumber"))
        else:
            self.download_all(key, version=request.get("datasetVersionNumber"))

    def auth_config(self):
        config = {"keys": {}, "tokens": [], "accepted": {}}
        for document in drop_in_json(self.shared.root("kaggle"), "_auth"):
            if not isinstance(document, dict):
                continue
            config["keys"].update(document.get("keys") or {})
            config["tokens"].extend(document.get("tokens") or [])
            for competition, who in (document.get("accepted") or {}).items():
                config["accepted"].setdefault(competition, []).extend(who or [])
        return config

    def principal(self, config):
        """The user name or token that authenticated the request, or None."""
        credentials = self.basic_credentials()
        if credentials:
            user, key = credentials
            expected = config["keys"].get(user)
            if isinstance(expected, str) and hmac.compare_digest(expected.encode(), key.encode()):
                return user
            return None
        token = self.bearer_token()
        if token and any(isinstance(t, str) and hmac.compare_digest(t.encode(), token.encode())
                         for t in config["tokens"]):
            return token
        return None

    def gate(self, competition, need_rules, version=None):
        """Auth, existence, faults and rules; returns (directory) or None after sending the error. competition
        may be a dataset's "<owner>/<slug>": no rules, and a miss (or another version than the one served) is
        Kaggle's 404 "Not found" (kaggle-cli#221 and #68 for an unknown dataset, "404 - Not Found - Not found"
        in #508; the body's other fields are not quoted anywhere, so the stub's usual {"code", "message"})."""
        config = self.auth_config()
        who = self.principal(config)
        if who is None:
            self.error(401, "Unauthenticated")
            return None
        if "/" in competition:
            directory = self.unit(competition)
            served = read_int(os.path.join(directory, "_version"), 1) if directory else None
            if directory is None or (version not in (None, "") and str(version) != str(served)):
                self.error(404, "Not found")
                return None
            need_rules = False
        else:
            directory = unit_dir(self.shared.root("kaggle"), competition) if safe_segment(competition) else None
        if directory is None:
            self.error(403, KAGGLE_GET_DENIED_DOWNLOAD if need_rules else KAGGLE_GET_DENIED_LIST)
            return None
        fault = consume_fault(directory)
        if fault is not None:
            status, retry_after = fault
            self.error(status, "Too Many Requests" if status == 429 else "Service Unavailable",
                       [("Retry-After", retry_after)] if retry_after else [])
            return None
        if need_rules and flag(directory, "_participate_denied"):
            self.error(403, KAGGLE_PARTICIPATE_DENIED)
            return None
        if "/" not in competition and (need_rules or flag(directory, "_rules_on_list")):
            if who not in config["accepted"].get(competition, []):
                self.send_bytes(403, KAGGLE_RULES_403, "application/json")
                return None
        return directory

    def list_files(self, competition, page_size, page_token, legacy_get, version=None):
        directory = self.gate(competition, need_rules=False, version=version)
        if directory is None:
            return
        names = list_files(directory)
        base = self.base_url()

        as_strings = flag(directory, "_int64_strings")

        def entry(name):
            digest = self.shared.digests.get(os.path.join(directory, *name.split("/")))
            # ApiDataFile.totalBytes is an int64: the proto3 JSON mapping writes it as a string, and kagglesdk
            # passes either through (kaggle_object.py `PredefinedSerializer`); which one Kaggle sends is
            # UNCONFIRMED (api-drift-2026.md §6.1), so _int64_strings serves the other.
            size = str(digest["size"]) if as_strings else digest["size"]
            if "/" in competition:
                # ApiDatasetFile (dataset_api_service.py `ApiDatasetFile._fields`): ref, datasetRef, ownerRef,
                # name, creationDate, totalBytes; no checksum. What Kaggle puts in ref and url is not quoted
                # anywhere: ref is the dataset's, url is left out (optional).
                return {"ref": competition, "datasetRef": competition, "ownerRef": competition.split("/")[0],
                        "name": name, "creationDate": iso_ms(digest["mtime"]), "totalBytes": size}
            return {"ref": "", "name": name, "description": "", "totalBytes": size,
                    "url": f"{base}/api/v1/competitions/data/download/{urllib.parse.quote(competition, safe='')}/"
                           f"{urllib.parse.quote(name)}",
                    "creationDate": iso_ms(digest["mtime"])}

        if legacy_get and flag(directory, "_bare_array"):
            self.send_json(200, [entry(n) for n in names])
            return
        cap = read_int(os.path.join(directory, "_page_size"), KAGGLE_DEFAULT_PAGE)
        try:
            requested = int(page_size) if page_size not in (None, "", 0, "0") else cap
        except (TypeError, ValueError):
            self.error(400, "Invalid pageSize")
            return
        size = max(1, min(requested, cap))
        offset = 0
        if page_token:
            decoded = from_b64url_token(str(page_token))
            if decoded is None or not re.fullmatch(r"o[0-9]+", decoded):
                self.error(400, "Invalid page token")
                return
            offset = int(decoded[1:])
        page = names[offset:offset + size]
        next_token = b64url_token(f"o{offset + size}") if offset + size < len(names) else ""
        if "/" in competition:
            # ApiListDatasetFilesResponse: datasetFiles, errorMessage (unset here), nextPageToken.
            self.send_json(200, {"datasetFiles": [entry(n) for n in page], "nextPageToken": next_token})
            return
        self.send_json(200, {"files": [entry(n) for n in page], "nextPageToken": next_token})

    def signed_location(self, prefix, rel, expires):
        date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = f"{prefix}/{rel}"
        signature = self.shared.sign(path, date, str(expires))
        query = urllib.parse.urlencode([
            ("X-Goog-Algorithm", "GOOG4-RSA-SHA256"),
            ("X-Goog-Credential", f"kaggle-stub@stub.iam.gserviceaccount.com/{date[:8]}/auto/storage/goog4_request"),
            ("X-Goog-Date", date), ("X-Goog-Expires", str(expires)), ("X-Goog-SignedHeaders", "host"),
            ("X-Goog-Signature", signature)])
        # another host name than the API's 127.0.0.1: a correct client sends no Authorization there
        return f"http://localhost:{self.server.server_address[1]}{path}?{query}"

    def download(self, competition, name, version=None):
        directory = self.gate(competition, need_rules=True, version=version)
        if directory is None:
            return
        if unit_file(directory, name) is None:
            self.error(404, "File not found")
            return
        expires = read_int(os.path.join(directory, "_signed_expires"), KAGGLE_SIGNED_EXPIRES)
        rel = urllib.parse.quote(competition, safe="") + "/" + urllib.parse.quote(name)
        if self.zipped(directory, name):
            # Kaggle may answer a single-file download with a zip of that file: the signed URL ends in
            # "<name>.zip" (Kaggle/kagglehub:tests/server_stubs/competition_download_stub.py
            # `competition_download_file`, "users request a file, but receive a zipped version of the file
            # from GCS"; src/kagglehub/clients.py `download_file`; tensorflow/datasets#844).
            rel += ".zip"
        self.redirect(302, self.signed_location("/__signed", rel, expires))

    @staticmethod
    def zipped(directory, name):
        """True when control _zipped (globs, one a line; empty = every file) says name is served zipped."""
        try:
            with open(os.path.join(directory, "_zipped"), encoding="utf-8") as f:
                globs = [line.strip() for line in f if line.strip()]
        except OSError:
            return False
        return not globs or any(fnmatch.fnmatchcase(name, g) for g in globs)

    @staticmethod
    def single_file_zip(path, member, padding):
        """A zip holding one deflated member named after the file (kagglehub's tests/data/shapes.csv.zip holds
        shapes.csv, deflated). padding (control _zipped_padding, a fault) appends bytes to the member."""
        with open(path, "rb") as f:
            data = f.read() + b"\0" * padding
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(zipfile.ZipInfo(member, date_time=(2024, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
        return buffer.getvalue()

    def download_all(self, competition, version=None):
        # Every file in one zip: kaggle-cli's competition_download_files (Kaggle/kaggle-api@1744cda
        # src/kaggle/api/kaggle_api_extended.py) sends ApiDownloadDataFilesRequest{competition_name}, follows
        # the redirect and saves "<competition>.<extension of the signed URL's path>"; kaggle-cli#831 logs
        # the POST to .../competitions.CompetitionApiService/DownloadDataFiles. The zip holds each listed
        # file under its listed name (kaggle-cli unzips it in place; the zip's member layout beyond that is
        # not documented).
        # A dataset's archive is saved as "<dataset_slug>.zip" (kaggle-cli's `dataset_download_files`).
        directory = self.gate(competition, need_rules=True, version=version)
        if directory is None:
            return
        expires = read_int(os.path.join(directory, "_signed_expires"), KAGGLE_SIGNED_EXPIRES)
        quoted = urllib.parse.quote(competition, safe="")
        zip_name = urllib.parse.quote(competition.rsplit("/", 1)[-1], safe="")
        self.redirect(302, self.signed_location("/__signed-zip", f"{quoted}/{zip_name}.zip", expires))

    def gcs_error(self, status, code, message):
        body = (f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}</Message>"
                f"</Error>").encode()
        self.send_bytes(status, body, "application/xml; charset=UTF-8")

    def signed(self, path):
        date, expires = self.q("X-Goog-Date", ""), self.q("X-Goog-Expires", "")
        signature = self.q("X-Goog-Signature", "")
        if not hmac.compare_digest(self.shared.sign(path, date, expires).encode(), signature.encode()):
            self.gcs_error(403, "SignatureDoesNotMatch", "Access denied.")
            return
        try:
            issued = datetime.datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
            expired = time.time() > issued.timestamp() + int(expires)
        except ValueError:
            expired = True
        if expired:
            self.gcs_error(400, "ExpiredToken", "Invalid argument.")
            return
        prefix, _, rest = path[1:].partition("/")
        competition, _, rel = rest.partition("/")
        competition, rel = urllib.parse.unquote(competition), urllib.parse.unquote(rel)
        directory = self.unit(competition)
        if prefix == "__signed-zip":
            if directory is None:
                self.gcs_error(404, "NoSuchKey", "The specified key does not exist.")
                return
            data = self.zip_of(directory, read_int(os.path.join(directory, "_archive_padding"), 0))
            md5 = hashlib.md5(data)
            self.send_content(data, etag=f'"{md5.hexdigest()}"', ctype="application/zip",
                              headers=[("x-goog-hash", "md5=" + base64.b64encode(md5.digest()).decode()),
                                       ("x-goog-stored-content-length", str(len(data)))])
            return
        path_on_disk = unit_file(directory, rel)
        original = unit_file(directory, rel[:-4]) if path_on_disk is None and rel.endswith(".zip") else None
        if original is not None and self.zipped(directory, rel[:-4]):
            data = self.single_file_zip(original, rel[:-4].rsplit("/", 1)[-1],
                                        read_int(os.path.join(directory, "_zipped_padding"), 0))
            md5 = hashlib.md5(data)
            self.send_content(data, etag=f'"{md5.hexdigest()}"', ctype="application/zip",
                              headers=[("x-goog-hash", "md5=" + base64.b64encode(md5.digest()).decode()),
                                       ("x-goog-stored-content-length", str(len(data)))])
            return
        if path_on_disk is None:
            self.gcs_error(404, "NoSuchKey", "The specified key does not exist.")
            return
        digest = self.shared.digests.get(path_on_disk, crc=True)
        crc = base64.b64encode(digest["crc32c"].to_bytes(4, "big")).decode()
        md5_raw = digest["md5_raw"]
        if flag(directory, "_goog_hash_wrong"):
            md5_raw = hashlib.md5(b"not these bytes").digest()  # a fault: bytes damaged on the way or at rest
        self.send_content(path_on_disk, etag=f'"{digest["md5"]}"', last_modified=http_date(digest["mtime"]),
                          ctype=content_type(rel),
                          headers=[("x-goog-hash", f"crc32c={crc}"),
                                   ("x-goog-hash", "md5=" + base64.b64encode(md5_raw).decode()),
                                   ("x-goog-stored-content-length", str(digest["size"])),
                                   ("x-goog-storage-class", "STANDARD")])

    @staticmethod
    def zip_of(directory, padding=0):
        """padding (control _archive_padding, a fault): bytes added to the first member."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for number, rel in enumerate(list_files(directory)):
                with open(os.path.join(directory, *rel.split("/")), "rb") as f:
                    data = f.read() + (b"\0" * padding if number == 0 else b"")
                archive.writestr(zipfile.ZipInfo(rel, date_time=(2024, 1, 1, 0, 0, 0)), data)
        return buffer.getvalue()


# --- Hugging Face Hub and its CDN -------------------------------------------------------------------------

HF_DEFAULT_PAGE = 2
HF_LFS_THRESHOLD = 10 * 1024
HF_CDN_EXPIRES = 3600
HF_REVOKE_LOCK = threading.Lock()  # _cdn_expires_in_use: one revocation at a time
HF_EXPOSE = ("X-Repo-Commit, X-Request-Id, X-Error-Code, X-Error-Message, X-Total-Count, ETag, Link, "
             "Accept-Ranges, Content-Range, X-Linked-Size, X-Linked-ETag")
HF_GATED_401 = ("Access to dataset {id} is restricted. You must have access to it and be authenticated to access "
                "it. Please log in.")
HF_GATED_403 = ("Access to dataset {id} is restricted and you are not in the authorized list. Visit "
                "https://huggingface.co/datasets/{id} to ask for access.")
HF_BAD_TOKEN = "Invalid credentials in Authorization header"
HF_DISABLED = "Access to this resource is disabled."
HF_NAME = r"[A-Za-z0-9][\w.-]*"


def lfs_pointer(sha256, size):
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()


def git_blob_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class HubError(Exception):
    def __init__(self, status, code=None, message=None, list_body=False):
        super().__init__(message)
        self.status, self.code, self.message, self.list_body = status, code, message, list_body


class HubHandler(StubHandler):
    """<world>/huggingface/<owner>/<repo>/<files>; <world>/huggingface/_tokens.json (+ _tokens.d/*.json): a list of
    valid tokens (or {"tokens": [...]}); <repo>/_repo.json {"gated": false|"auto"|"manual", "approved_tokens": [],
    "private": false, "disabled": false, "lfs": [globs], "sha": commit, "revisions": [names], "tree_page_size": 2,
    "tree_gated": false, "resolve_cache": false, "cdn_expires": 3600, "error_body": "string"|"list",
    "moved_to": "owner/name" (a renamed repository: resolve answers a relative 307 to the new name)};
    _ratelimit / _unavailable counters; _cdn_expired "N": the next N LFS resolves sign links already expired;
    _cdn_expires_in_use "N": N signed links expire while their first GET streams (HubCdnHandler.expired_in_use);
    _linked_size {"path": N}: the LFS redirect's X-Linked-Size (a commit pushed after the listing)."""
    provider = "huggingface"

    def common_headers(self):
        return [("X-Request-Id", "Root=1-" + secrets.token_hex(12)), ("Access-Control-Expose-Headers", HF_EXPOSE)]

    def hub_error(self, error):
        headers = []
        if error.code:
            headers.append(("X-Error-Code", error.code))
        message = error.message or error.code or "error"
        if error.list_body:
            # The list-valued body huggingface_hub reads as "Case {'error': ['my error 1', 'my error 2']}"
            # (huggingface/huggingface_hub:src/huggingface_hub/utils/_http.py `_format`), here without
            # X-Error-Message, so the body is the only place the message is.
            self.send_json(error.status, {"error": [message]}, headers, content_type="application/json; charset=utf-8")
            return
        if error.message:
            headers.append(("X-Error-Message", error.message))
        self.send_json(error.status, {"error": message}, headers, content_type="application/json; charset=utf-8")

    def route(self):
        try:
            self._route()
        except _Handled:
            pass
        except HubError as error:
            error.list_body = error.list_body or self.repo_wants_list_errors()
            self.hub_error(error)

    def repo_wants_list_errors(self):
        """True when the repository addressed has "error_body": "list" in its _repo.json."""
        match = re.fullmatch(rf"/(?:api/)?datasets/({HF_NAME})/({HF_NAME})(/.*)?", self.raw_path)
        directory = unit_dir(self.shared.root("huggingface"), match.group(1), match.group(2)) if match else None
        config = read_json(os.path.join(directory, "_repo.json"), {}) if directory else {}
        return isinstance(config, dict) and config.get("error_body") == "list"

    def _route(self):
        path = self.raw_path
        if path == "/api/whoami-v2":
            token = self.token()
            if token is None:
                raise HubError(401, None, HF_BAD_TOKEN)
            self.send_json(200, {"type": "user", "name": "stub-user", "fullname": "Stub User",
                                 "auth": {"type": "access_token", "accessToken": {"displayName": "stub",
                                                                                  "role": "read"}}})
            return
        if self.method not in ("GET", "HEAD"):
            raise HubError(405, None, "Method not allowed")
        match = re.fullmatch(rf"/datasets/({HF_NAME})/({HF_NAME})/resolve/(.+)", path)
        if match and self.moved_to(match.group(1), match.group(2)):
            # A renamed repository: resolve answers a RELATIVE redirect to the new name, which a client
            # follows on the Hub keeping its token (huggingface_hub utils/_http.py
            # `_httpx_follow_relative_redirects_with_backoff`: "follow a redirection to a renamed repository
            # without following redirection to a CDN"; file_download.py `_get_metadata_or_catch_error`:
            # "redirect due to repo rename ... keep auth"). The status (307, as for resolve-cache) and the
            # absence of other headers are not in the references.
            owner, name = self.moved_to(match.group(1), match.group(2))
            query = self.path.partition("?")[2]
            location = f"/datasets/{owner}/{name}/resolve/{match.group(3)}" + (f"?{query}" if query else "")
            self.redirect(307, location, [], b"Temporary Redirect. Redirecting to " + location.encode(),
                          "text/plain; charset=utf-8")
            return
        match = re.fullmatch(rf"/api/datasets/({HF_NAME})/({HF_NAME})(/.*)?", path)
        if match:
            owner, name, rest = match.group(1), match.group(2), match.group(3) or ""
            # The API under a renamed repository's old name: how the Hub answers it is not in the
            # references; the stub answers as the new name does.
            owner, name = self.moved_to(owner, name) or (owner, name)
            if rest in ("", "/"):
                self.info(owner, name, None)
            elif rest.startswith("/revision/"):
                self.info(owner, name, rest[len("/revision/"):])
            elif rest == "/auth-check":
                # 200 when this caller may download the files, else the gate's 401/403 GatedRepo or
                # RepoNotFound (huggingface/huggingface_hub:src/huggingface_hub/hf_api.py `auth_check` and
                # its tests TestHfApiAuthCheck). The 200 body is not read by any client: left empty.
                self.repo(owner, name, content=True)
                self.send_json(200, {})
            elif rest.startswith("/tree/"):
                self.tree(owner, name, rest[len("/tree/"):])
            else:
                raise HubError(404, None, "Sorry, we can't find the page you are looking for.")
            return
        match = re.fullmatch(rf"/datasets/({HF_NAME})/({HF_NAME})/resolve/(.+)", path)
        if match:
            self.resolve(match.group(1), match.group(2), match.group(3))
            return
        match = re.fullmatch(rf"/api/resolve-cache/datasets/({HF_NAME})/({HF_NAME})/([0-9a-f]{{40}})/(.+)", path)
        if match:
            self.resolve_cached(match.group(1), match.group(2), match.group(3), match.group(4))
            return
        raise HubError(404, None, "Sorry, we can't find the page you are looking for.")

    # --- auth and repos ---

    def moved_to(self, owner, name):
        """(owner, name) of the repository this one was renamed to (_repo.json "moved_to"), else None."""
        directory = unit_dir(self.shared.root("huggingface"), owner, name)
        config = read_json(os.path.join(directory, "_repo.json"), {}) if directory else {}
        target = config.get("moved_to") if isinstance(config, dict) else None
        if isinstance(target, str) and re.fullmatch(rf"({HF_NAME})/({HF_NAME})", target):
            return tuple(target.split("/"))
        return None

    def tokens(self):
        found = []
        for document in drop_in_json(self.shared.root("huggingface"), "_tokens"):
            if isinstance(document, dict):
                document = document.get("tokens") or []
            if isinstance(document, list):
                found.extend(t for t in document if isinstance(t, str))
        return found

    def token(self):
        """None when anonymous; the token when valid; raises 401 for any other Authorization header."""
        if self.headers.get("Authorization") is None:
            return None
        token = self.bearer_token()
        if token and any(hmac.compare_digest(t.encode(), token.encode()) for t in self.tokens()):
            return token
        raise HubError(401, None, HF_BAD_TOKEN)

    def repo(self, owner, name, content):
        """Returns (directory, config, repo id); raises the Hub's error when the caller may not see it."""
        token = self.token()
        repo_id = f"{owner}/{name}"
        directory = unit_dir(self.shared.root("huggingface"), owner, name)
        config = read_json(os.path.join(directory, "_repo.json"), {}) if directory else {}
        if not isinstance(config, dict):
            config = {}
        approved = [t for t in config.get("approved_tokens") or [] if isinstance(t, str)]
        if directory is None or (config.get("private") and token not in approved):
            raise HubError(401 if token is None else 404, "RepoNotFound", "Repository not found")
        fault = consume_fault(directory)
        if fault is not None:
            status, retry_after = fault
            headers = [("RateLimit", '"api";r=0;t=1'), ("RateLimit-Policy", '"fixed window";"api";q=500;w=300')]
            if retry_after:
                headers.append(("Retry-After", retry_after))
            message = ("You have been rate-limited; you can retry this action in about 1 minute." if status == 429
                       else "Service Unavailable")
            self.send_json(status, {"error": message}, headers + [("X-Error-Message", message)],
                           content_type="application/json; charset=utf-8")
            raise _Handled()
        if config.get("disabled"):
            raise HubError(403, None, HF_DISABLED)
        if content and config.get("gated") not in (None, False, "false"):
            if token is None:
                raise HubError(401, "GatedRepo", HF_GATED_401.format(id=repo_id))
            if token not in approved:
                raise HubError(403, "GatedRepo", HF_GATED_403.format(id=repo_id))
        return directory, config, repo_id

    def commit(self, directory, config):
        if isinstance(config.get("sha"), str) and re.fullmatch(r"[0-9a-f]{40}", config["sha"]):
            return config["sha"]
        h = hashlib.sha1(b"commit\n")
        for rel in list_files(directory):
            st = os.stat(os.path.join(directory, *rel.split("/")))
            h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        return h.hexdigest()

    def revisions(self, directory, config):
        return ["main", self.commit(directory, config), *[r for r in config.get("revisions") or []
                                                          if isinstance(r, str)]]

    def split_revision(self, directory, config, raw):
        """(revision, path) from the raw text after /tree/ or /resolve/; segments may be %2F-encoded."""
        segments = [urllib.parse.unquote(s) for s in raw.split("/")]
        known = self.revisions(directory, config)
        for i in range(len(segments), 0, -1):
            candidate = "/".join(segments[:i])
            if candidate in known:
                return candidate, "/".join(s for s in segments[i:] if s != "")
        raise HubError(404, "RevisionNotFound", f"Invalid rev id: {segments[0]}")

    def is_lfs(self, config, rel, size):
        globs = config.get("lfs")
        if isinstance(globs, list):
            return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(os.path.basename(rel), g) for g in globs)
        return size > HF_LFS_THRESHOLD or rel.endswith(".nii.gz") or rel.endswith(".zip")

    def describe(self, directory, config, rel):
        digest = self.shared.digests.get(os.path.join(directory, *rel.split("/")))
        if self.is_lfs(config, rel, digest["size"]):
            pointer = lfs_pointer(digest["sha256"], digest["size"])
            return {"type": "file", "oid": git_blob_sha1(pointer), "size": digest["size"], "path": rel,
                    "lfs": {"oid": digest["sha256"], "size": digest["size"], "pointerSize": len(pointer)}}, digest
        return {"type": "file", "oid": digest["git_sha1"], "size": digest["size"], "path": rel}, digest

    # --- routes ---

    def info(self, owner, name, raw_revision):
        directory, config, repo_id = self.repo(owner, name, content=False)
        commit = self.commit(directory, config)
        if raw_revision is not None:
            self.split_revision(directory, config, raw_revision)
        blobs = self.q("blobs") in ("true", "1", "True")
        siblings = []
        last = os.stat(directory).st_mtime
        for rel in list_files(directory):
            if not blobs:
                siblings.append({"rfilename": rel})
                continue
            entry, digest = self.describe(directory, config, rel)
            last = max(last, digest["mtime"])
            sibling = {"rfilename": rel, "size": digest["size"], "blobId": entry["oid"]}
            if "lfs" in entry:
                sibling["lfs"] = {"size": digest["size"], "sha256": digest["sha256"],
                                  "pointerSize": entry["lfs"]["pointerSize"]}
            siblings.append(sibling)
        gated = config.get("gated", False)
        self.send_json(200, {"_id": hashlib.sha1(repo_id.encode()).hexdigest()[:24], "id": repo_id,
                             "author": owner, "sha": commit, "lastModified": iso_ms(last),
                             "private": bool(config.get("private")), "gated": gated if gated else False,
                             "disabled": bool(config.get("disabled")), "downloads": 0, "likes": 0, "tags": [],
                             "cardData": {}, "createdAt": iso_ms(os.stat(directory).st_mtime),
                             "siblings": siblings})

    def tree(self, owner, name, raw):
        # Anyone may list a gated repository's tree; only downloads are refused ("it's now possible to
        # list gated files with the API", huggingface/huggingface.js#945, 2024-10). "tree_gated": true
        # gives the older behaviour, where the listing was gated like the downloads.
        directory, config, repo_id = self.repo(owner, name, content=config_tree_gated(self, owner, name))
        revision, rel = self.split_revision(directory, config, raw)
        base = unit_subdir(directory, rel)
        if base is None:
            raise HubError(404, "EntryNotFound", f"{rel or '/'} does not exist on \"{revision}\"")
        recursive = self.q("recursive", "false").lower() in ("true", "1")
        expand = self.q("expand", "false").lower() in ("true", "1")
        commit = self.commit(directory, config)
        entries = []
        prefix = f"{rel}/" if rel else ""
        files = [f for f in list_files(directory) if f.startswith(prefix)]
        directories = set()
        for f in files:
            parts = f[len(prefix):].split("/")
            for depth in range(1, len(parts)):
                directories.add(prefix + "/".join(parts[:depth]))
        for path in sorted(set(files) | directories, key=lambda s: s.encode("utf-8", "surrogateescape")):
            if not recursive and "/" in path[len(prefix):]:
                continue
            if path in directories:
                entry = {"type": "directory", "oid": hashlib.sha1(f"tree {commit} {path}".encode()).hexdigest(),
                         "size": 0, "path": path}
            else:
                entry, _ = self.describe(directory, config, path)
            if expand:
                entry["lastCommit"] = {"id": commit, "title": "Upload files", "date": iso_ms(time.time())}
                if entry["type"] == "file":
                    entry["securityFileStatus"] = {"status": "safe"}
            entries.append(entry)
        page_size = max(1, int(config.get("tree_page_size") or HF_DEFAULT_PAGE))
        cursor = self.q("cursor")
        offset = 0
        if cursor:
            decoded = from_b64url_token(cursor)
            if decoded is None or not re.fullmatch(r"o[0-9]+", decoded):
                raise HubError(400, None, "Invalid cursor")
            offset = int(decoded[1:])
        page = entries[offset:offset + page_size]
        headers = []
        if offset + page_size < len(entries):
            query = [(k, v) for k, values in self.query.items() for v in values if k != "cursor"]
            query.append(("cursor", b64url_token(f"o{offset + page_size}")))
            link = f"{self.base_url()}{self.raw_path}?{urllib.parse.urlencode(query)}"
            headers.append(("Link", f'<{link}>; rel="next"'))
        self.send_json(200, page, headers)

    def resolve(self, owner, name, raw):
        directory, config, repo_id = self.repo(owner, name, content=True)
        revision, rel = self.split_revision(directory, config, raw)
        path = unit_file(directory, rel)
        if path is None:
            raise HubError(404, "EntryNotFound", "Entry not found")
        entry, digest = self.describe(directory, config, rel)
        commit = self.commit(directory, config)
        if "lfs" not in entry:
            if config.get("resolve_cache"):
                location = (f"/api/resolve-cache/datasets/{owner}/{name}/{commit}/{urllib.parse.quote(rel)}?"
                            + urllib.parse.urlencode({"etag": f'"{digest["git_sha1"]}"'}))
                self.redirect(307, location, [("X-Repo-Commit", commit), ("ETag", f'"{digest["git_sha1"]}"')],
                              b"Temporary Redirect. Redirecting to " + location.encode(), "text/plain; charset=utf-8")
                return
            self.send_regular(path, rel, digest, commit)
            return
        expires = str(int(time.time()) + int(config.get("cdn_expires") or HF_CDN_EXPIRES))
        if consume_count(directory, "_cdn_expired"):
            # A signed link that expires before it is used (a queued download): the CDN answers 403 and
            # a client re-resolves (api-drift-2026.md §5.2, "Signed URLs are short-lived, so re-resolve
            # on 403/expiry"; huggingface_hub file_download.py re-asks the Hub for every download).
            expires = str(int(time.time()) - 60)
        cdn_path = f"/datasets/{owner}/{name}/{digest['sha256']}/{urllib.parse.quote(rel)}"
        disposition = f"attachment; filename*=UTF-8''{urllib.parse.quote(os.path.basename(rel))};"
        query = urllib.parse.urlencode([
            ("response-content-disposition", disposition),
            ("Expires", expires), ("Signature", self.shared.sign("cdn", cdn_path, expires)),
            ("Key-Pair-Id", "KSTUBCDN0000")])
        location = f"http://localhost:{self.shared.ports['huggingface_cdn']}{cdn_path}?{query}"
        # X-Linked-Size is the file's true size (api-drift-2026.md §5.2; huggingface_hub file_download.py
        # `get_hf_file_metadata`). _linked_size ({"path": N}) makes it another: a commit pushed between a
        # client's tree listing and its download, so the redirect describes another file than the listing.
        linked = read_json(os.path.join(directory, "_linked_size"), {})
        linked_size = linked.get(rel, digest["size"]) if isinstance(linked, dict) else digest["size"]
        self.redirect(302, location, [
            ("X-Repo-Commit", commit), ("ETag", f'"{digest["sha256"]}"'), ("X-Linked-Etag", f'"{digest["sha256"]}"'),
            ("X-Linked-Size", str(linked_size))],
            f"Found. Redirecting to {location}".encode(), "text/plain; charset=utf-8")

    def resolve_cached(self, owner, name, commit, raw_rel):
        directory, config, repo_id = self.repo(owner, name, content=True)
        if commit != self.commit(directory, config):
            raise HubError(404, "RevisionNotFound", f"Invalid rev id: {commit}")
        rel = urllib.parse.unquote(raw_rel)
        path = unit_file(directory, rel)
        if path is None:
            raise HubError(404, "EntryNotFound", "Entry not found")
        self.send_regular(path, rel, self.shared.digests.get(path), commit)

    def send_regular(self, path, rel, digest, commit):
        self.send_content(path, etag=f'"{digest["git_sha1"]}"', last_modified=http_date(digest["mtime"]),
                          ctype=content_type(rel) if not rel.endswith(".txt") else "text/plain; charset=utf-8",
                          headers=[("X-Repo-Commit", commit),
                                   ("Content-Disposition", f'inline; filename="{os.path.basename(rel)}"')])


class _Handled(HubError):
    """A response was already sent (a fault); nothing more to do."""

    def __init__(self):
        super().__init__(0)


def config_tree_gated(handler, owner, name):
    directory = unit_dir(handler.shared.root("huggingface"), owner, name)
    config = read_json(os.path.join(directory, "_repo.json"), {}) if directory else {}
    return isinstance(config, dict) and bool(config.get("tree_gated"))


class HubCdnHandler(StubHandler):
    """The CDN that LFS files are redirected to (another port, reached as localhost): no auth, signed URLs."""
    provider = "huggingface_cdn"

    def route(self):
        match = re.fullmatch(rf"/datasets/({HF_NAME})/({HF_NAME})/([0-9a-f]{{64}})/(.+)", self.raw_path)
        if not match or self.method not in ("GET", "HEAD"):
            self.denied()
            return
        if self.headers.get("Authorization") is not None:
            # A signed URL carries its own authorization; the Hub's client drops the token when the
            # CDN host differs (huggingface_hub file_download.py, api-drift-2026.md §5.2 step 4), and an
            # S3-style origin refuses a second auth mechanism. Refused here so that a leak fails loudly.
            self.send_bytes(400, b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code>'
                                 b'<Message>Only one auth mechanism allowed</Message></Error>', "text/xml")
            return
        expires, signature = self.q("Expires", ""), self.q("Signature", "")
        directory = unit_dir(self.shared.root("huggingface"), match.group(1), match.group(2))
        if directory and self.expired_in_use(directory, signature):
            self.denied()
            return
        if (not hmac.compare_digest(self.shared.sign("cdn", self.raw_path, expires).encode(), signature.encode())
                or not expires.isdigit() or int(expires) < time.time()):
            self.denied()
            return
        rel = urllib.parse.unquote(match.group(4))
        path = unit_file(directory, rel)
        if path is None:
            self.denied()
            return
        digest = self.shared.digests.get(path)
        disposition = self.q("response-content-disposition")
        headers = [("Via", "1.1 stub.cloudfront.net (CloudFront)"), ("X-Cache", "Miss from cloudfront")]
        if disposition:
            headers.append(("Content-Disposition", disposition))
        self.send_content(path, etag=f'"{digest["md5"]}"', last_modified=http_date(digest["mtime"]),
                          ctype="binary/octet-stream", headers=headers)

    def denied(self):
        self.send_bytes(403, b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
                             b'<Message>Access denied</Message></Error>', "text/xml")

    def expired_in_use(self, directory, signature):
        """_cdn_expires_in_use "N": while N > 0, the first Range request on a signed link finds it expired, and
        so does every later request with that signature (kept in _cdn_revoked). A link whose short life ends
        while its first whole-file GET is still streaming: later ranged asks get the CDN's 403 AccessDenied, as
        for any past Expires, and a client re-resolves (api-drift-2026.md §5.2 step 4, "Signed URLs are
        short-lived, so re-resolve on 403/expiry"). How long the real CDN's links live is not recorded there:
        the stub's clock stands in for it."""
        revoked = os.path.join(directory, "_cdn_revoked")
        with HF_REVOKE_LOCK:
            if signature in read_lines(revoked):
                return True
            if self.headers.get("Range") is None or not consume_count(directory, "_cdn_expires_in_use"):
                return False
            with open(revoked, "a", encoding="utf-8") as f:
                f.write(signature + "\n")
            return True


# --- IDC (GCS JSON API and simple downloads) --------------------------------------------------------------

IDC_DEFAULT_PAGE = 2
IDC_MAX_RESULTS = 1000
BUCKET_NAME = r"[a-z0-9][a-z0-9._-]{1,220}"


class IdcHandler(StubHandler):
    """<world>/idc/<bucket>/<object name...> (IDC: <bucket>/<series uuid>/<instance uuid>.dcm); in the bucket
    directory: _page_size (N, default 2), _composite (empty: every object, else one glob per line: no md5Hash,
    componentCount), _ratelimit / _unavailable counters."""
    provider = "idc"

    def json_error(self, status, message, reason, headers=()):
        self.send_json(status, {"error": {"code": status, "message": message,
                                          "errors": [{"message": message, "domain": "global", "reason": reason}]}},
                       headers, content_type="application/json; charset=UTF-8")

    def xml_error(self, status, code, message):
        self.send_bytes(status, (f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
                                 f"<Message>{message}</Message></Error>").encode(), "application/xml; charset=UTF-8")

    def route(self):
        path = self.raw_path
        if self.method not in ("GET", "HEAD"):
            self.json_error(405, "Method not allowed", "methodNotAllowed")
            return
        match = re.fullmatch(rf"/storage/v1/b/({BUCKET_NAME})/o(?:/(.+))?", path)
        if match:
            bucket = self.bucket(match.group(1), json_errors=True)
            if bucket is None:
                return
            if match.group(2) is None:
                self.list_objects(match.group(1), bucket)
            elif self.q("alt") == "media":
                self.media(match.group(1), bucket, urllib.parse.unquote(match.group(2)), json_errors=True)
            else:
                self.metadata(match.group(1), bucket, urllib.parse.unquote(match.group(2)))
            return
        match = re.fullmatch(rf"/download/storage/v1/b/({BUCKET_NAME})/o/(.+)", path)
        if match:
            bucket = self.bucket(match.group(1), json_errors=True)
            if bucket is not None:
                self.media(match.group(1), bucket, urllib.parse.unquote(match.group(2)), json_errors=True)
            return
        match = re.fullmatch(rf"/({BUCKET_NAME})/?", path)
        if match and self.q("list-type") == "2":
            bucket = self.bucket(match.group(1), json_errors=False)
            if bucket is not None:
                self.list_objects_v2(match.group(1), bucket)
            return
        match = re.fullmatch(rf"/({BUCKET_NAME})/(.+)", path)
        if match:
            bucket = self.bucket(match.group(1), json_errors=False)
            if bucket is not None:
                self.media(match.group(1), bucket, urllib.parse.unquote(match.group(2)), json_errors=False)
            return
        self.xml_error(404, "NoSuchBucket", "The specified bucket does not exist.")

    def bucket(self, name, json_errors):
        directory = unit_dir(self.shared.root("idc"), name)
        if directory is None:
            if json_errors:
                self.json_error(404, "The specified bucket does not exist.", "notFound")
            else:
                self.xml_error(404, "NoSuchBucket", "The specified bucket does not exist.")
            return None
        fault = consume_fault(directory)
        if fault is not None:
            status, retry_after = fault
            headers = [("Retry-After", retry_after)] if retry_after else []
            if status == 429:
                self.json_error(429, "The rate of change requests to the object is too high; slow down.",
                                "rateLimitExceeded", headers)
            else:
                self.json_error(503, "Backend Error", "backendError", headers)
            return None
        return directory

    def composite(self, bucket_dir, name):
        try:
            with open(os.path.join(bucket_dir, "_composite"), encoding="utf-8") as f:
                globs = [line.strip() for line in f if line.strip()]
        except OSError:
            return False
        return not globs or any(fnmatch.fnmatchcase(name, g) for g in globs)

    def resource(self, bucket, bucket_dir, name):
        path = os.path.join(bucket_dir, *name.split("/"))
        digest = self.shared.digests.get(path, crc=True)
        generation = str(digest["mtime_ns"] // 1000)
        quoted = urllib.parse.quote(name, safe="")
        base = self.base_url()
        item = {"kind": "storage#object", "id": f"{bucket}/{name}/{generation}",
                "selfLink": f"{base}/storage/v1/b/{bucket}/o/{quoted}",
                "mediaLink": f"{base}/download/storage/v1/b/{bucket}/o/{quoted}?generation={generation}&alt=media",
                "name": name, "bucket": bucket, "generation": generation, "metageneration": "1",
                "contentType": content_type(name), "storageClass": "STANDARD", "size": str(digest["size"]),
                "crc32c": base64.b64encode(digest["crc32c"].to_bytes(4, "big")).decode(),
                "etag": base64.b64encode(bytes.fromhex(digest["md5"])[:8]).decode().rstrip("="),
                "timeCreated": iso_ms(digest["mtime"]), "updated": iso_ms(digest["mtime"]),
                "timeStorageClassUpdated": iso_ms(digest["mtime"])}
        if self.composite(bucket_dir, name):
            item["componentCount"] = 2
        else:
            item["md5Hash"] = base64.b64encode(digest["md5_raw"]).decode()
        return item, path, digest

    @staticmethod
    def select_fields(document, fields):
        """A partial response for the fields forms items(a,b),nextPageToken,kind,prefixes."""
        wanted = {}
        depth, start = 0, 0
        for i, c in enumerate(fields + ","):
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif c == "," and depth == 0:
                part = fields[start:i].strip()
                start = i + 1
                if not part:
                    continue
                key, _, sub = part.partition("(")
                wanted[key.strip()] = [s.strip() for s in sub.rstrip(")").split(",")] if sub else None
        result = {}
        for key, sub in wanted.items():
            if key not in document:
                continue
            value = document[key]
            if sub and isinstance(value, list):
                value = [{k: v for k, v in item.items() if k in sub} for item in value]
            result[key] = value
        return result

    def list_objects(self, bucket, bucket_dir):
        prefix = self.q("prefix", "")
        delimiter = self.q("delimiter", "")
        try:
            requested = int(self.q("maxResults") or IDC_MAX_RESULTS)
            if requested < 0:
                raise ValueError
        except ValueError:
            self.json_error(400, "Invalid value for maxResults", "invalid")
            return
        size = idc_page_size(bucket_dir, requested)
        after = ""
        token = self.q("pageToken")
        if token:
            decoded = from_b64url_token(token)
            if decoded is None or not decoded.startswith("n:"):
                self.json_error(400, "Invalid pageToken", "invalid")
                return
            after = decoded[2:]
        names = [n for n in list_files(bucket_dir) if n.startswith(prefix)]
        results = []  # (sort key, "item" | "prefix", value)
        prefixes = set()
        for name in names:
            if delimiter:
                cut = name.find(delimiter, len(prefix))
                if cut >= 0:
                    prefixes.add(name[:cut + len(delimiter)])
                    continue
            results.append((name, "item", name))
        results.extend((p, "prefix", p) for p in prefixes)
        results.sort(key=lambda r: r[0].encode("utf-8", "surrogateescape"))
        if after:
            results = [r for r in results if r[0].encode("utf-8", "surrogateescape") > after.encode(
                "utf-8", "surrogateescape")]
        page = results[:size]
        document = {"kind": "storage#objects"}
        if len(results) > size:
            document["nextPageToken"] = b64url_token("n:" + page[-1][0])
        page_prefixes = [value for _, kind, value in page if kind == "prefix"]
        if page_prefixes:
            document["prefixes"] = page_prefixes
        items = [self.resource(bucket, bucket_dir, value)[0] for _, kind, value in page if kind == "item"]
        if items:
            document["items"] = items
        fields = self.q("fields")
        self.send_json(200, self.select_fields(document, fields) if fields else document,
                       content_type="application/json; charset=UTF-8")

    def list_objects_v2(self, bucket, bucket_dir):
        """GET /<bucket>?list-type=2&prefix=…&max-keys=…&continuation-token=… in the XML form S3 documents
        (AWS S3 API reference "ListObjectsV2": ListBucketResult with Name, Prefix, KeyCount, MaxKeys,
        IsTruncated, Contents{Key,LastModified,ETag,Size,StorageClass}, ContinuationToken and
        NextContinuationToken), which GCS's XML API answers too (provider-facts.md §3: anonymous
        `GET https://idc-open-data.s3.amazonaws.com/?list-type=2&prefix=<uuid>/` answered 200, the IDC
        fixture "shaped after a real ListObjectsV2 response" has KeyCount, MaxKeys 1000, StorageClass
        STANDARD). ETag quotes arrive as &quot; (a real S3 body, provider-facts.md §3). Continuation
        tokens are opaque base64 holding '+', '/' and '=' (provider-facts.md §3), so a client that does
        not percent-encode them breaks here as on S3. Some IDC series have a zero-byte
        "directory" marker key exactly "<uuid>/" with the empty-string MD5 as ETag (a third-party
        capture, provider-facts.md §3): series named in the bucket's _markers file get one. Objects
        matching a glob in _multipart (or _composite) get a multipart ETag "<hex>-2", which is no MD5
        of the object (AWS S3 user guide, "Checking object integrity": multipart ETags)."""
        prefix = self.q("prefix", "")
        try:
            requested = int(self.q("max-keys") or IDC_MAX_RESULTS)
        except ValueError:
            self.xml_error(400, "InvalidArgument", "Provided max-keys not an integer or within integer range")
            return
        size = idc_page_size(bucket_dir, requested)
        after = ""
        token = self.q("continuation-token")
        if token:
            try:
                decoded = base64.b64decode(token, validate=True)
            except ValueError:
                decoded = b""
            if not decoded.startswith(b"\xfb\xef" + b"k:"):
                self.xml_error(400, "InvalidArgument", "The continuation token provided is incorrect")
                return
            after = decoded[4:].decode("utf-8", "surrogateescape")
        entries = {}  # key -> (size, etag, mtime)
        for name in list_files(bucket_dir):
            if name.startswith(prefix):
                entries[name] = None
        try:
            with open(os.path.join(bucket_dir, "_markers"), encoding="utf-8") as f:
                for line in f:
                    marker = line.strip().rstrip("/") + "/"
                    if line.strip() and marker.startswith(prefix):
                        entries[marker] = (0, "d41d8cd98f00b204e9800998ecf8427e", time.time())
        except OSError:
            pass
        keys = sorted(entries, key=lambda k: k.encode("utf-8", "surrogateescape"))
        if after:
            keys = [k for k in keys if k.encode("utf-8", "surrogateescape") > after.encode("utf-8", "surrogateescape")]
        page, truncated = keys[:size], len(keys) > size
        multipart_globs = []
        for control in ("_multipart", "_composite"):
            try:
                with open(os.path.join(bucket_dir, control), encoding="utf-8") as f:
                    multipart_globs += [line.strip() for line in f if line.strip()] or ["*"]
            except OSError:
                pass

        def esc(text):
            return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .replace('"', "&quot;"))

        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
                 f"<Name>{esc(bucket)}</Name><Prefix>{esc(prefix)}</Prefix>"]
        if token:
            parts.append(f"<ContinuationToken>{esc(token)}</ContinuationToken>")
        if truncated:
            next_token = base64.b64encode(b"\xfb\xef" + b"k:" + page[-1].encode("utf-8", "surrogateescape")).decode()
            parts.append(f"<NextContinuationToken>{esc(next_token)}</NextContinuationToken>")
        parts.append(f"<KeyCount>{len(page)}</KeyCount><MaxKeys>{requested}</MaxKeys>"
                     f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>")
        for key in page:
            if entries[key] is not None:
                length, md5, mtime = entries[key]
            else:
                digest = self.shared.digests.get(os.path.join(bucket_dir, *key.split("/")), crc=True)
                length, md5, mtime = digest["size"], digest["md5"], digest["mtime"]
                if any(fnmatch.fnmatchcase(key, g) for g in multipart_globs):
                    md5 = hashlib.md5(bytes.fromhex(md5)).hexdigest() + "-2"
            parts.append(f"<Contents><Key>{esc(key)}</Key><LastModified>{iso_ms(mtime)}</LastModified>"
                         f"<ETag>&quot;{md5}&quot;</ETag><Size>{length}</Size>"
                         f"<StorageClass>STANDARD</StorageClass></Contents>")
        parts.append("</ListBucketResult>")
        self.send_bytes(200, "".join(parts).encode(), "application/xml")

    def metadata(self, bucket, bucket_dir, name):
        if unit_file(bucket_dir, name) is None:
            self.json_error(404, f"No such object: {bucket}/{name}", "notFound")
            return
        item = self.resource(bucket, bucket_dir, name)[0]
        fields = self.q("fields")
        self.send_json(200, self.select_fields(item, fields) if fields else item,
                       content_type="application/json; charset=UTF-8")

    def media(self, bucket, bucket_dir, name, json_errors):
        if unit_file(bucket_dir, name) is None:
            if json_errors:
                self.json_error(404, f"No such object: {bucket}/{name}", "notFound")
            else:
                self.xml_error(404, "NoSuchKey", "The specified key does not exist.")
            return
        item, path, digest = self.resource(bucket, bucket_dir, name)
        wanted_generation = self.q("generation")
        if wanted_generation and wanted_generation != item["generation"]:
            if json_errors:
                self.json_error(404, f"No such object: {bucket}/{name}", "notFound")
            else:
                self.xml_error(404, "NoSuchKey", "The specified key does not exist.")
            return
        hashes = [("x-goog-hash", f"crc32c={item['crc32c']}")]
        if "md5Hash" in item:
            hashes.append(("x-goog-hash", f"md5={item['md5Hash']}"))
            etag = f'"{digest["md5"]}"'
        else:
            etag = f'"{digest["md5"][:16]}-2"'
        self.send_content(path, etag=etag, last_modified=http_date(digest["mtime"]), ctype=item["contentType"],
                          headers=[*hashes, ("x-goog-generation", item["generation"]), ("x-goog-metageneration", "1"),
                                   ("x-goog-stored-content-length", item["size"]),
                                   ("x-goog-stored-content-encoding", "identity"),
                                   ("x-goog-storage-class", "STANDARD")])


# --- IDC REST API v3 ---------------------------------------------------------------------------------------

IDC_API_PAGE_CAP = 5000
IDC_API_VERSION = {"idc_version": "v24", "idc_index_data_version": "24.2.2", "api_version": "3.0.0b2",
                   "build": "968e137"}
IDC_API_TERMS = ("collection_id", "analysis_result_id", "PatientID", "StudyInstanceUID", "SeriesInstanceUID",
                 "Modality", "BodyPartExamined", "Manufacturer", "ManufacturerModelName", "PatientSex",
                 "sop_class_name", "license_short_name", "source_DOI")
IDC_API_ORDER = ("collection_id", "PatientID", "StudyInstanceUID", "SeriesInstanceUID")


class IdcApiHandler(StubHandler):
    """/<unit>/v3/… (CXRCAT_IDC_API_URL = http://127.0.0.1:PORT/<unit>/v3, so parallel tests each have
    their own API). In <world>/idc_api/<unit>/: series.json (the index rows, as the API returns them),
    _version.json (GET /version, default the verbatim b2 answer), _page_size (a lower clamp of
    page_size), _manifest_answer.json + _manifest_status (a verbatim answer replacing /cohort/manifest:
    a changed API), _ratelimit / _unavailable counters.

    Shapes (provider-facts.md §1.2-1.4, from ImagingDataCommons/IDC-REST-MCP models.py, settings.py and
    tests, the IDC skill's rest_api_guide.md live outputs, and a third-party live capture of POST
    /v3/cohort/manifest): the body is {"filters":{"terms":{…},"ranges":{…}},"page":K,"page_size":N};
    since 3.0.0b3 a bare filter or an unknown key is a 422 ("goes under `filters`") and an unfiltered
    manifest a 400 "At least one filter predicate is required"; terms are exact, case-sensitive IN
    matches, with a warning naming the right case when only the case differs; rows are ordered by
    collection_id, PatientID, StudyInstanceUID, SeriesInstanceUID and paged by LIMIT page_size OFFSET
    page*page_size; page_size is clamped to 5000 silently and echoed; errors are
    {"error":{"code","message"}}; no authentication."""
    provider = "idc_api"

    def api_error(self, status, code, message):
        self.send_json(status, {"error": {"code": code, "message": message}})

    def route(self):
        match = re.fullmatch(r"/([A-Za-z0-9._-]+)/v3/(.+)", self.raw_path)
        unit = unit_dir(self.shared.root("idc_api"), match.group(1)) if match else None
        if unit is None:
            self.api_error(404, "not_found", "Not Found")
            return
        fault = consume_fault(unit)
        if fault is not None:
            status, retry_after = fault
            self.api_error(status, "unavailable" if status == 503 else "rate_limited", "Service Unavailable")
            return
        endpoint = match.group(2)
        if endpoint == "version" and self.method == "GET":
            self.send_json(200, read_json(os.path.join(unit, "_version.json"), IDC_API_VERSION))
        elif endpoint == "cohort/manifest" and self.method == "POST":
            self.manifest(unit)
        else:
            self.api_error(404, "not_found", "Not Found")

    def manifest(self, unit):
        verbatim = os.path.join(unit, "_manifest_answer.json")
        if os.path.exists(verbatim):
            with open(verbatim, "rb") as f:
                self.send_bytes(read_int(os.path.join(unit, "_manifest_status"), 200), f.read(), "application/json")
            return
        try:
            body = json.loads(self.body or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self.send_json(422, {"detail": [{"type": "model_attributes_type", "loc": ["body"],
                                             "msg": "Input should be a valid dictionary or object"}]})
            return
        unknown = sorted(set(body) - {"filters", "page", "page_size", "fields"})
        if unknown:
            self.send_json(422, {"detail": [{"type": "extra_forbidden", "loc": ["body", unknown[0]],
                                             "msg": f"Extra inputs are not permitted; filters go under `filters`"}]})
            return
        filters = body.get("filters") or {}
        terms = filters.get("terms") or {} if isinstance(filters, dict) else {}
        if not isinstance(terms, dict) or not terms or not all(isinstance(v, list) for v in terms.values()):
            self.api_error(400, "invalid_query", "At least one filter predicate is required")
            return
        for attribute in terms:
            if attribute not in IDC_API_TERMS:
                self.api_error(400, "invalid_query", f"Unknown or non-term filter attribute: '{attribute}'. "
                                                     "Use list_attributes to see valid attributes.")
                return
        page, page_size = body.get("page", 0), body.get("page_size", 100)
        if not isinstance(page, int) or page < 0 or not isinstance(page_size, int) or page_size < 1:
            self.send_json(422, {"detail": [{"type": "int_type", "loc": ["body", "page"], "msg": "invalid"}]})
            return
        page_size = min(page_size, IDC_API_PAGE_CAP, read_int(os.path.join(unit, "_page_size"), IDC_API_PAGE_CAP))
        rows = read_json(os.path.join(unit, "series.json"), [])
        chosen = [r for r in rows if all(r.get(k) in v for k, v in terms.items())]
        chosen.sort(key=lambda r: tuple(str(r.get(k, "")) for k in IDC_API_ORDER))
        warnings = []
        for attribute, values in terms.items():
            for value in values:
                known = {r.get(attribute) for r in rows if isinstance(r.get(attribute), str)}
                if value not in known:
                    hint = [k for k in known if k.lower() == str(value).lower()]
                    if hint:
                        warnings.append(f"{attribute}: no match for {value!r}; did you mean {hint[0]!r}? "
                                        "(matching is case-sensitive)")
        part = chosen[page * page_size:(page + 1) * page_size]
        self.send_json(200, {
            "counts": {"patients": len({r.get("PatientID") for r in chosen}),
                       "studies": len({r.get("StudyInstanceUID") for r in chosen}),
                       "series": len(chosen), "instances": sum(r.get("instanceCount", 0) for r in chosen),
                       "size_TB": round(sum(r.get("series_size_MB", 0) for r in chosen) / 1e6, 3),
                       "filters_applied": {"terms": terms, "ranges": {}}, "warnings": warnings},
            "page": page, "page_size": page_size, "returned": len(part), "total_series": len(chosen),
            "series": part})


# --- TCIA NBIA REST API -----------------------------------------------------------------------------------

# getSeries accepts these parameters and no others: the NBIA V4 server code answers 400 "Invalid query
# parameter" for anything else (provider-facts.md §4, "Fields (CODE)"); tcia_utils nbia.py getSeries sends
# the same names (Collection, PatientID, StudyInstanceUID, SeriesInstanceUID, Modality, BodyPartExamined,
# Manufacturer, ManufacturerModelName).
NBIA_SERIES_PARAMS = ("Collection", "format", "PatientID", "StudyInstanceUID", "Modality", "BodyPartExamined",
                      "ManufacturerModelName", "Manufacturer", "SeriesInstanceUID")


class _ZipSink(io.RawIOBase):
    """An unseekable sink: zipfile then writes every member with a data descriptor (sizes after the data),
    as java.util.zip.ZipOutputStream does when NBIA streams a zip it cannot seek back into."""

    def __init__(self):
        super().__init__()
        self.parts = []

    def writable(self):
        return True

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def take(self):
        data, self.parts = b"".join(self.parts), []
        return data


class TciaHandler(StubHandler):
    """/<unit>/nbia-api/services/{v1,v4}/… (CXRCAT_TCIA_URL = http://127.0.0.1:PORT/<unit>/nbia-api/services/v4, so
    parallel tests each have their own API); _v1_gone / _v4_gone make a version answer 404. In <world>/tcia/<unit>/: series.json (the getSeries rows, as NBIA
    returns them), one directory per SeriesInstanceUID holding the series' DICOM files (served in name order),
    _corrupt (lines "<SeriesInstanceUID>/<file>": served with altered bytes while md5hashes.csv keeps the
    recorded MD5, i.e. storage that no longer matches NBIA's database), _restricted (one SeriesInstanceUID
    per line: not public), _ratelimit / _unavailable / _drop.

    Shapes:
    - getSeries (provider-facts.md §4, a live capture of …/v1/getSeries?Collection=LIDC-IDRI on 2026-09-17;
      tcia_utils nbia.py queryData; MONAI apps/tcia/utils.py get_tcia_metadata): a JSON array of series
      objects (SeriesInstanceUID, StudyInstanceUID, Modality, Collection, PatientID, ImageCount, FileSize,
      …); no match is a 200 with an EMPTY body, which both clients take for "no results"; no token.
    - getImageWithMD5Hash (CBIIT NBIA server code V1_getImageWithMD5Hash.java, provider-facts.md §4): a zip
      built by ZipOutputStream inside a StreamingOutput, Content-Type application/octet-stream,
      Content-Disposition attachment; filename="<uid>.zip", NO Content-Length (chunked here) and no Range
      support; members named String.format("%08d", n) + the stored file's extension; then md5hashes.csv
      (FormatOutput.toCsv over columns Filename,MD5Hash: a header line, then one row per member in HashMap
      order, here reversed) holding the MD5s NBIA's database recorded (dto.getMD5Hash()). An unknown
      series gives a zip of md5hashes.csv alone (getImageAndMD5Hash finds no rows); a missing parameter
      is 400 "A parameter, SeriesInstanceUID, is required for this API call."; a series that is not public
      is 400 "Image with given SeriesInstanceUID,<uid>, is not in public domain." (both with Content-Type
      application/json, as the server sets, though the entity is plain text)."""
    provider = "tcia"

    def route(self):
        match = re.fullmatch(r"/([A-Za-z0-9._-]+)/nbia-api/services/(v1|v4)/([A-Za-z0-9]+)", self.raw_path)
        unit = unit_dir(self.shared.root(self.provider), match.group(1)) if match else None
        # _v1_gone / _v4_gone: that version answers 404 everywhere (v1 is "in the process of being
        # deprecated", RBVI/ChimeraX#201; some endpoints "were not migrated to v4", tcia_utils setApiUrl).
        if unit is None or self.method not in ("GET", "HEAD") or flag(unit, f"_{match.group(2)}_gone"):
            self.send_text(404, "Not Found\n")
            return
        self.version = match.group(2)
        fault = consume_fault(unit)
        if fault is not None:
            status, retry_after = fault
            self.send_text(status, "Service Unavailable\n",
                           headers=[("Retry-After", retry_after)] if retry_after else [])
            return
        endpoint = match.group(3)
        if endpoint == "getSeries":
            self.series(unit)
        elif endpoint == "getImageWithMD5Hash":
            self.image_with_md5(unit)
        else:
            self.send_text(404, "Not Found\n")

    def series(self, unit):
        unknown = sorted(set(self.query) - set(NBIA_SERIES_PARAMS))
        if unknown:
            self.send_text(400, f"Invalid query parameter: {unknown[0]}\n")
            return
        rows = read_json(os.path.join(unit, "series.json"), [])
        terms = {k: v[0] for k, v in self.query.items() if k != "format"}
        chosen = [r for r in rows if all(str(r.get(k, "")) == v for k, v in terms.items())]
        if not chosen:
            self.send_bytes(200, b"", "application/json")
            return
        if self.version == "v4":
            # V4_getSeries (CBIIT/NBIA-TCIA 3ca30907) renames TimeStamp and CollectionURI.
            renames = {"TimeStamp": "MaxSubmissionTimestamp", "CollectionURI": "DataDescriptionURI"}
            chosen = [{renames.get(k, k): v for k, v in row.items()} for row in chosen]
        self.send_json(200, chosen)

    def image_with_md5(self, unit):
        sid = self.q("SeriesInstanceUID")
        unknown = sorted(set(self.query) - {"SeriesInstanceUID"})
        if self.version == "v4" and unknown:
            # v4 getImageWithMD5Hash allows only SeriesInstanceUID (api-drift-2026.md §1.2).
            self.send_text(400, f"Invalid query parameter: {unknown[0]}\n")
            return
        if sid is None:
            self.send_bytes(400, b"A parameter, SeriesInstanceUID, is required for this API call.",
                            "application/json")
            return
        if sid in read_lines(os.path.join(unit, "_restricted")):
            # v4 words the refusal differently (api-drift-2026.md §1.2: 400 "The user has not been granted
            # the access …"; the rest of the sentence is not in the reference, so it is left out here).
            text = ("The user has not been granted the access" if self.version == "v4"
                    else f"Image with given SeriesInstanceUID,{sid}, is not in public domain.")
            self.send_bytes(400, text.encode(), "application/json")
            return
        directory = unit_subdir(unit, sid) if safe_segment(sid) else None
        names = sorted(os.listdir(directory)) if directory else []
        corrupt = set(read_lines(os.path.join(unit, "_corrupt")))
        self.start_chunked(200, [("Content-Type", "application/octet-stream"),
                                 ("Content-Disposition", f'attachment; filename="{sid}.zip"')])
        drop = consume_drop(unit)
        sink = _ZipSink()
        hashes = {}
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for counter, name in enumerate(names, start=1):
                with open(os.path.join(directory, name), "rb") as f:
                    data = f.read()
                member = f"{counter:08d}{os.path.splitext(name)[1]}"
                hashes[member] = hashlib.md5(data).hexdigest()
                if f"{sid}/{name}" in corrupt:
                    data = bytes([data[0] ^ 0xFF]) + data[1:] if data else b"\xff"
                archive.writestr(member, data)
                if not self.send_chunk(sink.take(), drop):
                    return
            rows = "".join(f"{m},{h}\n" for m, h in reversed(list(hashes.items())))
            archive.writestr("md5hashes.csv", "Filename,MD5Hash\n" + rows)
        if self.send_chunk(sink.take(), drop):
            self.send_chunk(b"", None)

    def start_chunked(self, status, headers):
        """A streamed answer: Transfer-Encoding chunked, no Content-Length."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.sent = True
        self.stats.set_status(self.entry, status)

    def send_chunk(self, data, drop):
        """One chunk (b"" ends the body). With drop (bytes left before the connection is cut), stops early
        and closes; returns False once cut."""
        if self.head:
            return True
        if drop is not None:
            sent = self.entry.get("bytes_sent", 0)
            if sent + len(data) >= drop:
                self.write(f"{drop - sent:x}\r\n".encode() + data[:max(0, drop - sent)])
                self.close_connection = True
                return False
        self.write(f"{len(data):x}\r\n".encode() + data + b"\r\n" if data else b"0\r\n\r\n")
        return True


class TciaNlstHandler(TciaHandler):
    """NLST's own NBIA host (CXRCAT_TCIA_NLST_URL = http://127.0.0.1:PORT/<unit>/nbia-api/services/v4), the same API
    as TciaHandler over <world>/tcia_nlst/<unit>/. NLST is "on a separate system because of how large it is"
    (tcia_utils#21, kirbyju 2025-01-18) and tcia_utils reaches it with api_url="nlst" at
    https://nlst.cancerimagingarchive.net/nbia-api/services/v4/ (api-drift-2026.md §1.4), so a test puts the NLST
    series here and not under <world>/tcia. What the main host answers for getSeries?Collection=NLST is not in the
    references: a unit without NLST rows answers NBIA's generic "no results" (an empty 200); getImage of an NLST
    series on the main host is a 400 (tcia_utils#21), which a test gets with _restricted there."""
    provider = "tcia_nlst"


# --- servers ----------------------------------------------------------------------------------------------

HANDLERS = {"zenodo": ZenodoHandler, "physionet": PhysioNetHandler, "kaggle": KaggleHandler,
            "huggingface": HubHandler, "huggingface_cdn": HubCdnHandler, "idc": IdcHandler,
            "idc_api": IdcApiHandler, "tcia": TciaHandler, "tcia_nlst": TciaNlstHandler}


class Server(LoopbackServer):
    def __init__(self, address, handler, shared, stats):
        self.shared, self.stats = shared, stats
        super().__init__(address, handler, stats)


class Server6(Server):
    address_family = socket.AF_INET6


def bind(handler, shared, stats):
    """127.0.0.1 (and ::1 when available) on one free port."""
    for _ in range(20):
        v4 = Server(("127.0.0.1", 0), handler, shared, stats)
        port = v4.server_address[1]
        try:
            v6 = Server6(("::1", port), handler, shared, stats)
        except OSError as error:
            if error.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
                return [v4]
            v4.server_close()
            continue
        return [v4, v6]
    raise OSError("could not find a port free on both 127.0.0.1 and ::1")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", required=True, help="directory the stubs read on every request")
    parser.add_argument("--ready-file", required=True, help="JSON {pid, ports, ipv6} written once listening")
    parser.add_argument("--log-dir", help="one <server>.log (JSON lines) per server here")
    parser.add_argument("--max-lifetime", type=float, default=7200.0, help="exit after this many seconds")
    args = parser.parse_args()

    shared = Shared(args.world)
    listeners = []
    ipv6 = True
    for name in SERVERS:
        stats = Stats(os.path.join(args.log_dir, f"{name}.log") if args.log_dir else None)
        servers = bind(HANDLERS[name], shared, stats)
        ipv6 = ipv6 and len(servers) > 1
        shared.ports[name] = servers[0].server_address[1]
        listeners.extend(servers)

    start_serving(listeners, shared.stop)
    tmp = f"{args.ready_file}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"pid": os.getpid(), "ports": shared.ports, "ipv6": ipv6}, f)
    os.replace(tmp, args.ready_file)
    serve_until_stopped(listeners, shared.stop, args.max_lifetime)
    return 0


if __name__ == "__main__":
    sys.exit(main())
