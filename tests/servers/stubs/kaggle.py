# SPDX-License-Identifier: Apache-2.0
"""The Kaggle stub: competitions and datasets over the REST and RPC APIs, and their signed GCS downloads."""
import base64
import datetime
import fnmatch
import hashlib
import hmac
import io
import json
import os
import re
import time
import urllib.parse
import zipfile

from fault_server import http_date

from .handler import StubHandler
from .text import b64url_token, content_type, from_b64url_token, iso_ms
from .world import (consume_count, consume_fault, drop_in_json, flag, list_files, read_int, safe_segment,
                    unit_dir, unit_file)

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
