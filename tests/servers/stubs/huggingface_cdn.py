# SPDX-License-Identifier: Apache-2.0
"""The stub of the CDN that the Hub redirects LFS downloads to (signed URLs, no auth)."""
import hmac
import os
import re
import threading
import time
import urllib.parse

from fault_server import http_date

from .handler import StubHandler
from .huggingface import HF_NAME
from .world import consume_count, read_lines, unit_dir, unit_file

HF_REVOKE_LOCK = threading.Lock()  # _cdn_expires_in_use: one revocation at a time


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
