# SPDX-License-Identifier: Apache-2.0
"""Small text helpers of every stub: timestamps, opaque page tokens, redacted request targets, content
types."""
import base64
import datetime
import os
import urllib.parse

from fault_server import CONTENT_TYPES

SECRET_PARAMS = {"access_token", "token", "key", "api_key", "apikey", "password", "secret", "client_secret"}


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


def content_type(name):
    return CONTENT_TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")
