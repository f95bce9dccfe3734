# SPDX-License-Identifier: Apache-2.0
"""Reading the world directory (tests/servers/README.md, "Provider stubs"): JSON and drop-in files, control
files, fault counters and paths inside a unit."""
import json
import os
import threading

COUNTER_LOCK = threading.Lock()  # read-modify-write of counter files (and of Zenodo's rate-limit window)


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
        rest = take_counter(os.path.join(unit_dir, name))
        if rest is not None:
            return status, rest[0] if rest else ("1" if status == 429 else None)
    return None


def take_counter(path):
    """A counter file "N [WORD...]": while N > 0 a call consumes one (the file is rewritten with N-1) and
    returns the other words; None when the file is absent, malformed or spent."""
    with COUNTER_LOCK:
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
