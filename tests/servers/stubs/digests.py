# SPDX-License-Identifier: Apache-2.0
"""File digests (md5, sha1, sha256, git blob sha1, crc32c), cached by file identity."""
import hashlib
import os
import threading

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
