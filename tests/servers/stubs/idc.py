# SPDX-License-Identifier: Apache-2.0
"""The IDC stub: its public buckets through the GCS JSON API and the S3-style XML API."""
import base64
import fnmatch
import hashlib
import os
import re
import time
import urllib.parse

from fault_server import http_date

from .handler import StubHandler
from .text import b64url_token, content_type, from_b64url_token, iso_ms
from .world import consume_fault, list_files, read_int, unit_dir, unit_file

IDC_DEFAULT_PAGE = 2
IDC_MAX_RESULTS = 1000
BUCKET_NAME = r"[a-z0-9][a-z0-9._-]{1,220}"


def idc_page_size(bucket_dir, requested):
    """Objects per listing page of an IDC bucket: what the client asked for (0: the most), at most the API's
    maximum and the bucket's _page_size."""
    cap = read_int(os.path.join(bucket_dir, "_page_size"), IDC_DEFAULT_PAGE)
    return max(1, min(requested or IDC_MAX_RESULTS, IDC_MAX_RESULTS, cap))


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
        entries = self.v2_entries(bucket_dir, prefix)
        keys = sorted(entries, key=lambda k: k.encode("utf-8", "surrogateescape"))
        if after:
            keys = [k for k in keys if k.encode("utf-8", "surrogateescape") > after.encode("utf-8", "surrogateescape")]
        page, truncated = keys[:size], len(keys) > size
        multipart_globs = self.multipart_globs(bucket_dir)

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

    @staticmethod
    def v2_entries(bucket_dir, prefix):
        """{key: None for an object, (size, etag, mtime) for a "<series>/" marker of _markers} under prefix."""
        entries = {}
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
        return entries

    @staticmethod
    def multipart_globs(bucket_dir):
        """The globs of _multipart and _composite (an empty file: every object) whose ETags are multipart."""
        globs = []
        for control in ("_multipart", "_composite"):
            try:
                with open(os.path.join(bucket_dir, control), encoding="utf-8") as f:
                    globs += [line.strip() for line in f if line.strip()] or ["*"]
            except OSError:
                pass
        return globs

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
