#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Checks every built-in catalog file against the JSON Schema and the catalog's own rules.

Usage: check_catalog.py SCHEMA DATASETS_DIR
Runs with Debian's /usr/bin/python3 (python3-jsonschema). Exits 1 listing every problem.
"""
import json
import pathlib
import re
import sys

import jsonschema

PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|XXX+|lorem ipsum|placeholder)\b", re.IGNORECASE)
ZERO_DIGEST = re.compile(r"^0+$")
DIGEST_KEYS = ("md5", "sha1", "sha256", "sha512")


def walk(value, pointer=""):
    """Yields (json pointer, value) for every scalar in value."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from walk(child, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk(child, f"{pointer}/{index}")
    else:
        yield pointer, value


def check_file(path, validator):
    problems = []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"{path}: {error}"]
    for error in validator.iter_errors(data):
        pointer = "/" + "/".join(str(p) for p in error.absolute_path)
        problems.append(f"{path}: {pointer}: {error.message}")
    if not isinstance(data, dict):
        return problems
    if data.get("id") != path.stem:
        problems.append(f"{path}: /id: must equal the file name '{path.stem}'")
    if not data.get("sources_of_facts"):
        problems.append(f"{path}: /sources_of_facts: every built-in dataset needs at least one fact source")
    if not data.get("citation"):
        problems.append(f"{path}: /citation: every built-in dataset needs a citation")
    for pointer, value in walk(data):
        if isinstance(value, str) and PLACEHOLDER.search(value):
            problems.append(f"{path}: {pointer}: reads like a placeholder: {value[:60]!r}")
        if pointer.rsplit("/", 1)[-1] in DIGEST_KEYS and isinstance(value, str) and ZERO_DIGEST.match(value):
            problems.append(f"{path}: {pointer}: all-zero digest")
    return problems


def main():
    schema = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted(pathlib.Path(sys.argv[2]).glob("*.json"))
    problems = [p for f in files for p in check_file(f, validator)]
    for problem in problems:
        print(problem)
    print(f"checked {len(files)} catalog files: {len(problems)} problems")
    return 1 if problems or not files else 0


if __name__ == "__main__":
    sys.exit(main())
