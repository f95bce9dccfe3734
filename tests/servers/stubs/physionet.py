# SPDX-License-Identifier: Apache-2.0
"""The PhysioNet stub (project files behind HTTP Basic for wget, HTML for everything else)."""
import fnmatch
import hashlib
import hmac
import os
import re
import urllib.parse

from fault_server import http_date

from .handler import StubHandler
from .text import content_type
from .world import consume_fault, drop_in_json, flag, list_files, unit_dir, unit_file, unit_subdir

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
