# SPDX-License-Identifier: Apache-2.0
"""The Hugging Face Hub stub (dataset API, tree listing, resolve with LFS redirects to the CDN stub)."""
import fnmatch
import hashlib
import hmac
import os
import re
import secrets
import time
import urllib.parse

from fault_server import http_date

from .handler import StubHandler
from .text import b64url_token, content_type, from_b64url_token, iso_ms
from .world import (consume_count, consume_fault, drop_in_json, list_files, read_json, unit_dir, unit_file,
                    unit_subdir)

HF_DEFAULT_PAGE = 2
HF_LFS_THRESHOLD = 10 * 1024
HF_CDN_EXPIRES = 3600
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
