# SPDX-License-Identifier: Apache-2.0
"""Per-path request counters and the request log of one loopback test server.

Shared by fault_server.py and provider_stubs.py, whose /_stats answers have this one shape: tests ask
either server how many requests, which ranges, statuses and bytes a path saw.
"""

import json
import threading


class RequestStats:
    """Counters per path plus the log; every method is safe to call from any handler thread."""

    def __init__(self, log_path):
        self.lock = threading.Lock()
        self.paths = {}
        self.log_file = open(log_path, "a", buffering=1, encoding="utf-8") if log_path else None

    def begin(self, path, entry):
        """Records a request for path; returns its 0-based index among requests for path since reset."""
        with self.lock:
            stats = self.paths.setdefault(
                path, {"requests": 0, "bytes_sent": 0, "ranges": [], "statuses": [], "authorization": 0, "log": []})
            index = stats["requests"]
            stats["requests"] += 1
            if entry["range"] is not None:
                stats["ranges"].append(entry["range"])
            if entry["authorization"]:
                stats["authorization"] += 1
            stats["log"].append(entry)
            entry["_stats"] = stats
            return index

    def set_status(self, entry, status):
        with self.lock:
            entry["status"] = status
            if "_stats" in entry:
                entry["_stats"]["statuses"].append(status)

    def add_bytes(self, entry, count):
        with self.lock:
            entry["bytes_sent"] += count
            if "_stats" in entry:
                entry["_stats"]["bytes_sent"] += count

    def snapshot(self, path=None):
        """The counters of path (or of every path), with the log entries' back references left out."""
        with self.lock:
            selected = {p: s for p, s in self.paths.items() if path is None or p == path}
            return {p: {k: (v if k != "log" else [{lk: lv for lk, lv in e.items() if lk != "_stats"} for e in v])
                        for k, v in s.items()} for p, s in selected.items()}

    def reset(self, path=None):
        with self.lock:
            if path is None:
                self.paths.clear()
            else:
                self.paths.pop(path, None)

    def log(self, record):
        """Appends record to the log file as one JSON line (values JSON cannot hold become strings)."""
        if self.log_file is None:
            return
        line = json.dumps(record, sort_keys=True, default=str)
        with self.lock:
            try:
                self.log_file.write(line + "\n")
            except (OSError, ValueError):
                pass
