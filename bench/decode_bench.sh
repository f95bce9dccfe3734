#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmark of `cxrcat verify ID --decode` (issue 21 §4). Run by hand, never from the tests.
# Generates images of the catalog's real shapes, installs them as a dataset (`fetch --from`, a manual
# source: no network), then times in one run, each after dropping nothing (the files are in the page
# cache for every contender alike):
#   cxrcat verify bench21 --decode -j N   (digests included)          with GNU time: wall, peak RSS
#   a Python loop with Debian's python3-pil: Image.open(p).load()       (PNG, JPEG)
#   a Python loop with python3-pydicom (+ python3-gdcm for JPEG 2000): ds.pixel_array   (DICOM)
# and prints images/s per format, the ratio cxrcat / Python and peak RSS against the targets
# (ratio <= 0.5 with all cores, peak RSS <= 64 MiB).
# Usage: bench/decode_bench.sh [--quick]     (--quick: a tenth of the counts, to try the script)
# Environment: CXRCAT (the binary) [build/bench-release/src/cxrcat, built if missing], BENCH_TMP [/tmp],
#              BENCH_JOBS [every core]. Tools: bench/install-deps.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
python=/usr/bin/python3
scale=1
[[ "${1:-}" == "--quick" ]] && scale=10
jobs=${BENCH_JOBS:-$(nproc)}
# The baselines' modules, checked first: a missing one would otherwise surface as a garbled table.
"$python" -c 'import PIL, pydicom' 2>/dev/null ||
    { echo "decode_bench: needs python3-pil and python3-pydicom for $python: run bench/install-deps" >&2; exit 2; }
if [[ -z "${CXRCAT:-}" ]]; then
    cmake -S "$root" -B "$root/build/bench-release" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCXRCAT_BUILD_TESTS=OFF >/dev/null
    cmake --build "$root/build/bench-release" -j "$jobs" --target cxrcat cxrcat_dicom >/dev/null
    CXRCAT="$root/build/bench-release/src/cxrcat"
fi
work=$(mktemp -d "${BENCH_TMP:-/tmp}/cxrcat-decode-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The images (issue 21 §4): 1,000 PNG 1024x1024 8-bit (NIH-like), 200 PNG 16-bit (PadChest-like),
# 500 baseline JPEG (CheXpert/MIMIC-like), 200 DICOM JPEG 2000 (VinDr-like), 200 DICOM native.
"$python" - "$work/images" "$scale" <<'PY'
import pathlib, subprocess, sys
import numpy
from PIL import Image
out, scale = pathlib.Path(sys.argv[1]), int(sys.argv[2])
out.mkdir()
rng = numpy.random.default_rng(4)
def radiograph(side, maximum, dtype):
    ramp = numpy.add.outer(numpy.arange(side), numpy.arange(side)) * (maximum / (2 * side))
    return (ramp + rng.normal(0, maximum / 40, (side, side))).clip(0, maximum).astype(dtype)
base8, base16 = radiograph(1024, 255, numpy.uint8), radiograph(1024, 65535, numpy.uint16)
for i in range(1000 // scale):
    Image.fromarray(numpy.roll(base8, i, 0)).save(out / f"png8_{i:04}.png")
for i in range(200 // scale):
    Image.fromarray(numpy.roll(base16, i, 0)).save(out / f"png16_{i:04}.png")
for i in range(500 // scale):
    Image.fromarray(numpy.roll(base8, i, 1)).save(out / f"jpeg_{i:04}.jpg", quality=95)
for i in range(200 // scale):
    pgm = out / "tmp.pgm"
    Image.fromarray(numpy.roll(base8, i, 1)).save(pgm)
    subprocess.run(["gdcmimg", "-i", str(pgm), "-o", str(out / f"native_{i:04}.dcm")], check=True)
    subprocess.run(["gdcmconv", "--j2k", str(out / f"native_{i:04}.dcm"), str(out / f"j2k_{i:04}.dcm")], check=True)
pgm.unlink()
PY

# A catalog whose manual source lists every image; `fetch --from` installs them (hard links).
"$python" - "$work" <<'PY'
import json, pathlib, sys
work = pathlib.Path(sys.argv[1])
files = [{"path": p.name} for p in sorted((work / "images").iterdir())]
(work / "catalog.json").write_text(json.dumps({
    "id": "bench21", "name": "decode bench", "modality": "cxr", "category": "general",
    "license": {"name": "CC-BY-4.0"},
    "access": {"class": "registration", "terms": "bench", "terms_url": "https://example.org/terms"},
    "sources": [{"provider": "manual", "url": "https://example.org/", "files": files}]}))
PY
export CXRCAT_HOME="$work/home" XDG_CONFIG_HOME="$work/config"
cx=("$CXRCAT" --catalog "$work/catalog.json")
"${cx[@]}" fetch bench21 --accept-terms --from "$work/images" >/dev/null

# seconds and peak RSS (KiB) of a command, from GNU time
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || true
    cat "$work/time"
}
read -r cx_all cx_rss < <(measure "${cx[@]}" verify bench21 --decode -j "$jobs")
per_format() { # pattern: cxrcat time over only those files, with --include-like selection by a copy
    :
}
read -r py_img py_img_rss < <(measure "$python" -c '
import pathlib, sys
from PIL import Image
for p in sorted(pathlib.Path(sys.argv[1]).glob("*")):
    if p.suffix in (".png", ".jpg"):
        Image.open(p).load()
' "$work/images")
read -r py_dcm py_dcm_rss < <(measure "$python" -c '
import pathlib, sys
import pydicom
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.dcm")):
    pydicom.dcmread(p).pixel_array
' "$work/images")
count=$(ls "$work/images" | wc -l)
py_total=$(echo "$py_img + $py_dcm" | bc -l)
printf '%-46s %10s %12s %10s\n' case seconds images/s "peak MiB"
printf '%-46s %10.2f %12.1f %10.1f\n' "cxrcat verify --decode -j $jobs (all $count)" "$cx_all" \
    "$(echo "$count / $cx_all" | bc -l)" "$(echo "$cx_rss / 1024" | bc -l)"
printf '%-46s %10.2f %12s %10.1f\n' "python3-pil loop (PNG + JPEG)" "$py_img" - "$(echo "$py_img_rss / 1024" | bc -l)"
printf '%-46s %10.2f %12s %10.1f\n' "python3-pydicom loop (DICOM)" "$py_dcm" - "$(echo "$py_dcm_rss / 1024" | bc -l)"
printf 'ratio cxrcat / Python loops: %.2f (target <= 0.5); peak RSS %.1f MiB (target <= 64)\n' \
    "$(echo "$cx_all / $py_total" | bc -l)" "$(echo "$cx_rss / 1024" | bc -l)"
grep -v '^$' "$work/stderr" | tail -3 || true
