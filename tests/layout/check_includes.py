#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every include of the library runs down its layers (src/lib/README.md): a file in one folder of
src/lib or include/cxrcat may include its own folder or a folder listed before it, never one after.
Prints each upward include and exits 1 when there is any; a folder missing from the list also fails,
so a new folder gets its place in the README and here together.
Usage: check_includes.py PROJECT_ROOT"""
import os
import re
import sys

# The layers, lowest first: the order of src/lib/README.md.
LAYERS = "base catalog files access state verify archive net providers plan store labels decode fetch".split()


def folders_of(root, tree):
    top = os.path.join(root, tree)
    for dirpath, _dirs, files in os.walk(top):
        for name in files:
            rel = os.path.relpath(os.path.join(dirpath, name), top)
            if "/" in rel:
                yield rel.split("/")[0], os.path.join(tree, rel)


def main():
    root = sys.argv[1]
    problems = []
    for tree in ("src/lib", "include/cxrcat"):
        for folder, path in folders_of(root, tree):
            if folder not in LAYERS:
                problems.append(f"{path}: folder '{folder}' has no layer in tests/layout/check_includes.py")
                continue
            with open(os.path.join(root, path), encoding="utf-8") as source:
                for number, line in enumerate(source, 1):
                    match = re.match(r'\s*#\s*include\s+"(?:cxrcat/)?([a-z_]+)/', line)
                    if match and match.group(1) in LAYERS and LAYERS.index(match.group(1)) > LAYERS.index(folder):
                        problems.append(f"{path}:{number}: {folder}/ includes the higher layer {match.group(1)}/")
    for problem in problems:
        print(problem)
    print(f"{len(problems)} upward include(s)" if problems else "ok: every include runs down")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
