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
# Note: GDCM decodes JPEG 2000 through OpenJPEG with a thread per core by default, in the Python
# loop as in cxrcat, so the baseline's JPEG 2000 row already runs on every core (its CPU seconds
# exceed its wall seconds); the other formats run on one core in Python.
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

# One catalog entry for all the images and one per format; a manual source lists the files and
# `fetch --from` installs them (hard links). The per-format entries give images/s per format.
"$python" - "$work" <<'PY'
import json, os, pathlib, sys
work = pathlib.Path(sys.argv[1])
(work / "catalog").mkdir()
groups = {"all": "", "png8": "png8_", "png16": "png16_", "jpeg": "jpeg_", "j2k": "j2k_", "native": "native_"}
for name, prefix in groups.items():
    folder = work / "by-format" / name
    folder.mkdir(parents=True)
    files = []
    for p in sorted((work / "images").iterdir()):
        if p.name.startswith(prefix):
            os.link(p, folder / p.name)
            files.append({"path": p.name})
    (work / "catalog" / f"bench21-{name}.json").write_text(json.dumps({
        "id": f"bench21-{name}", "name": "decode bench", "modality": "cxr", "category": "general",
        "license": {"name": "CC-BY-4.0"},
        "access": {"class": "registration", "terms": "bench", "terms_url": "https://example.org/terms"},
        "sources": [{"provider": "manual", "url": "https://example.org/", "files": files}]}))
PY
export CXRCAT_HOME="$work/home" XDG_CONFIG_HOME="$work/config"
cx=("$CXRCAT" --catalog "$work/catalog")
formats=(png8 png16 jpeg j2k native)
for name in all "${formats[@]}"; do
    "${cx[@]}" fetch "bench21-$name" --accept-terms --from "$work/by-format/$name" >/dev/null
done

# wall seconds, CPU seconds (user + system: above wall when a contender uses more than one core) and
# peak RSS (KiB) of a command, from GNU time
measure() {
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || true
    read -r wall user system rss <"$work/time"
    echo "$wall $(echo "$user + $system" | bc -l) $rss"
}
# The Python loop over one folder: Pillow for PNG/JPEG, pydicom for DICOM.
python_loop='
import pathlib, sys
files = sorted(pathlib.Path(sys.argv[1]).iterdir())
if files and files[0].suffix == ".dcm":
    import pydicom
    for p in files:
        pydicom.dcmread(p).pixel_array
else:
    from PIL import Image
    for p in files:
        Image.open(p).load()
'

printf '%-34s %9s %9s %10s %9s\n' case seconds "cpu s" images/s "peak MiB"
row() { # label wall cpu rss count
    printf '%-34s %9.2f %9.2f %10.1f %9.1f\n' "$1" "$2" "$3" "$(echo "$5 / $2" | bc -l)" "$(echo "$4 / 1024" | bc -l)"
}
py_total=0
py_one_total=0
for name in "${formats[@]}"; do
    count=$(ls "$work/by-format/$name" | wc -l)
    read -r cx_wall cx_cpu cx_rss < <(measure "${cx[@]}" verify "bench21-$name" --decode -j "$jobs")
    read -r py_wall py_cpu py_rss < <(measure "$python" -c "$python_loop" "$work/by-format/$name")
    row "cxrcat $name -j $jobs" "$cx_wall" "$cx_cpu" "$cx_rss" "$count"
    row "python $name" "$py_wall" "$py_cpu" "$py_rss" "$count"
    printf '%-34s %9.2f\n' "  ratio $name" "$(echo "$cx_wall / $py_wall" | bc -l)"
    py_total=$(echo "$py_total + $py_wall" | bc -l)
    # The issue's premise ("the gain is parallelism") is a one-core baseline; GDCM's OpenJPEG already
    # decodes JPEG 2000 on every core inside the Python loop. Pinned to one core, for comparison only.
    read -r one_wall one_cpu one_rss < <(measure taskset -c 0 "$python" -c "$python_loop" "$work/by-format/$name")
    row "python $name (taskset -c 0)" "$one_wall" "$one_cpu" "$one_rss" "$count"
    py_one_total=$(echo "$py_one_total + $one_wall" | bc -l)
done
count=$(ls "$work/images" | wc -l)
read -r cx_all cx_cpu cx_rss < <(measure "${cx[@]}" verify bench21-all --decode -j "$jobs")
row "cxrcat all $count -j $jobs (digests too)" "$cx_all" "$cx_cpu" "$cx_rss" "$count"
printf 'ratio cxrcat (all) / Python loops (sum of formats): %.2f (target <= 0.5); peak RSS %.1f MiB (target <= 64)\n' \
    "$(echo "$cx_all / $py_total" | bc -l)" "$(echo "$cx_rss / 1024" | bc -l)"
printf 'for comparison only, against the same loops pinned to one core (taskset -c 0): %.2f\n' \
    "$(echo "$cx_all / $py_one_total" | bc -l)"
grep -v '^$' "$work/stderr" | tail -3 || true
