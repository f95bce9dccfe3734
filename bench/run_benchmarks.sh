#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cxrcat benchmarks (issue 3 "Benchmarks", issue 2 "Speed"). Run by hand, never from the tests.
# Starts the loopback nginx fixture in a temporary directory, generates the data, measures every case in
# one run and prints a table of times, ratios "cxrcat / baseline" and the issues' targets.
#
# Usage: bench/run_benchmarks.sh [--quick] [--keep]
#   --quick   small sizes (256 MiB, 40 × 4 MiB, throttled 128 MiB at 8m) to try the script; the
#             ratios are then not comparable with the targets
#   --keep    keep the work directory (data, logs) instead of deleting it
# Environment (defaults in brackets):
#   CXRCAT               the binary to measure [builds build/bench-release from this checkout]
#   BENCH_SOURCE         a note on where that binary comes from, printed in the header
#   BENCH_PYTHON         the interpreter of the issue-2 baseline [/usr/bin/python3]
#   BENCH_TMP            where the work directory goes [/tmp]; needs ~2.5 × BENCH_BIG_MIB + the small files
#   BENCH_RUNS           runs per case for the second-scale cases, median reported [3]
#   BENCH_FAST_RUNS      runs per case for the millisecond cases (hyperfine --runs) [20]
#   BENCH_BIG_MIB        size of the big file [2048]
#   BENCH_SMALL_COUNT    number of small files [200]     BENCH_SMALL_MIB   their size [4]
#   BENCH_THROTTLE_MIB   size of the throttled file [= BENCH_BIG_MIB, the same file]
#   BENCH_THROTTLE_RATE  nginx per-connection limit_rate of /throttled/ [20m]
#   BENCH_THROTTLE_RUNS  runs per throttled case [1]
#   BENCH_SKIP_THROTTLED=1  skip section 5 (the slowest one)
#   BENCH_WAIT_IDLE      before each section, wait up to this many seconds for the CPU to be < 15 % busy [0]
#   BENCH_SECTIONS       only these sections, comma-separated, e.g. 2 or 5,8 [1,2,3,5,6,7,8,9,10,11: all]; section 3 and 7
#                        use what sections 1 and 2 installed, so they need them
#   BENCH_BASELINE       the start-up baseline of section 8 (bench/startup_baseline.cpp: links cxrcat's
#                        libraries, does nothing) [built beside the binary; with CXRCAT given, skipped unless set]
# Tools: curl, openssl, sha256sum, GNU time, nginx, python3; aria2c and hyperfine are optional
# (bench/install-deps installs them all).
set -uo pipefail # no -e: a failing case is reported in the table and the run goes on

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

quick=0
keep=0
for arg in "$@"; do
    case "$arg" in
    --quick) quick=1 ;;
    --keep) keep=1 ;;
    -h | --help)
        sed -n '3,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "run_benchmarks.sh: unknown argument: $arg" >&2
        exit 2
        ;;
    esac
done

if ((quick)); then
    : "${BENCH_BIG_MIB:=256}" "${BENCH_SMALL_COUNT:=40}" "${BENCH_THROTTLE_MIB:=128}" "${BENCH_THROTTLE_RATE:=8m}"
    : "${BENCH_FAST_RUNS:=10}"
fi
RUNS=${BENCH_RUNS:-3}
FAST_RUNS=${BENCH_FAST_RUNS:-20}
BIG_MIB=${BENCH_BIG_MIB:-2048}
SMALL_COUNT=${BENCH_SMALL_COUNT:-200}
SMALL_MIB=${BENCH_SMALL_MIB:-4}
THROTTLE_MIB=${BENCH_THROTTLE_MIB:-$BIG_MIB}
THROTTLE_RATE=${BENCH_THROTTLE_RATE:-20m}
THROTTLE_RUNS=${BENCH_THROTTLE_RUNS:-1}
SKIP_THROTTLED=${BENCH_SKIP_THROTTLED:-0}
SECTIONS=",${BENCH_SECTIONS:-1,2,3,5,6,7,8,9,10,11},"
section_on() { [[ "$SECTIONS" == *",$1,"* ]]; }
section_on 5 || SKIP_THROTTLED=1

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
    log "$*"
    exit 1
}

for tool in curl openssl sha256sum python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || die "missing $tool (run bench/install-deps)"
done
# The issue-2 baseline is a real interpreter start: prefer Debian's /usr/bin/python3 over whatever
# python3 is first on PATH (a pyenv shim is a bash script that costs several times more).
PY="${BENCH_PYTHON:-$( [[ -x /usr/bin/python3 ]] && echo /usr/bin/python3 || command -v python3)}"
have_aria2=0
command -v aria2c >/dev/null && have_aria2=1
have_hyperfine=0
command -v hyperfine >/dev/null && have_hyperfine=1

# --- the binary ----------------------------------------------------------------------------------------------
if [[ -z "${CXRCAT:-}" ]]; then
    log "building cxrcat (Release) in build/bench-release"
    cmake -S "$root" -B "$root/build/bench-release" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCXRCAT_BUILD_TESTS=OFF >/dev/null || die "cmake configure failed"
    cmake --build "$root/build/bench-release" --target cxrcat cxrcat_startup_baseline >/dev/null || die "build failed"
    CXRCAT="$root/build/bench-release/src/cxrcat"
    : "${BENCH_BASELINE:=$root/build/bench-release/bench/cxrcat_startup_baseline}"
    built_here=1
fi
[[ -x "$CXRCAT" ]] || die "not an executable: $CXRCAT"
CX="$(readlink -f "$CXRCAT")"
if [[ -n "${built_here:-}" ]]; then
    source_desc="built from $root at git $(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet HEAD -- src include CMakeLists.txt 2>/dev/null || echo " + uncommitted changes")"
else
    source_desc="given by CXRCAT${BENCH_SOURCE:+ ($BENCH_SOURCE)}"
fi

# --- work directory, servers, cleanup ---------------------------------------------------------------------------
work="$(mktemp -d "${BENCH_TMP:-/tmp}/cxrcat-bench.XXXXXX")" || die "cannot create a work directory"
srv="$work/srv"
cleanup() {
    /usr/bin/python3 "$root/tests/servers/nginx_fixture.py" stop "$srv" >/dev/null 2>&1
    [[ -d "$work/s3" ]] && /usr/bin/python3 "$root/tests/servers/s3_fixture.py" stop "$work/s3" >/dev/null 2>&1
    if ((keep)); then
        log "kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/res" "$work/logs" "$work/dl" "$work/cfg"
export XDG_CONFIG_HOME="$work/cfg" # the terms ledger; shared by every run
unset CXRCAT_CATALOG CXRCAT_SEGMENT_THRESHOLD

log "starting nginx (throttle rate $THROTTLE_RATE) in $srv"
/usr/bin/python3 "$root/tests/servers/nginx_fixture.py" start "$srv" --no-fault \
    --throttle-rate "$THROTTLE_RATE" >"$work/logs/fixture.log" 2>&1 ||
    die "the nginx fixture did not start: $(tail -3 "$work/logs/fixture.log")"
base="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["http"])' "$srv/servers.json")"
www="$srv/www/bench"
mkdir -p "$www/many"

sha_of() { openssl dgst -sha256 -r "$1" | cut -c1-64; }

log "generating ${BIG_MIB} MiB + ${SMALL_COUNT} × ${SMALL_MIB} MiB of random data"
big_bytes=$((BIG_MIB << 20))
head -c "$big_bytes" /dev/urandom >"$www/big.bin" || die "cannot write $www/big.bin"
big_sha="$(sha_of "$www/big.bin")"
head -c $((SMALL_COUNT * (SMALL_MIB << 20))) /dev/urandom |
    split -b "$((SMALL_MIB << 20))" -d -a 3 --additional-suffix=.bin - "$www/many/f" || die "cannot split"
small_bytes=$((SMALL_MIB << 20))
many_bytes=$((SMALL_COUNT * small_bytes))
if ((THROTTLE_MIB == BIG_MIB)); then
    thr_name=big.bin
    thr_sha="$big_sha"
else
    thr_name=throttled.bin
    head -c $((THROTTLE_MIB << 20)) /dev/urandom >"$www/$thr_name"
    thr_sha="$(sha_of "$www/$thr_name")"
fi
thr_bytes=$((THROTTLE_MIB << 20))

# --- catalogs ---------------------------------------------------------------------------------------------------
entry() { # id files-json
    printf '{"id": "%s", "name": "Benchmark %s", "modality": "cxr", "category": "general",
 "license": {"name": "CC-BY-4.0"},
 "access": {"class": "open", "terms": "Benchmark data.", "terms_url": "https://example.org/t"},
 "sources": [{"provider": "http", "files": [%s]}]}\n' "$1" "$1" "$2"
}
file_json() { printf '{"path": "%s", "url": "%s", "size": %s, "sha256": "%s"}' "$1" "$2" "$3" "$4"; }

entry bbig "$(file_json big.bin "$base/files/bench/big.bin" "$big_bytes" "$big_sha")" >"$work/cat-big.json"
entry bthr "$(file_json "$thr_name" "$base/throttled/bench/$thr_name" "$thr_bytes" "$thr_sha")" >"$work/cat-thr.json"
: >"$work/many.sha256"
: >"$work/curl-many.cfg"
files=""
for f in "$www"/many/f*.bin; do
    name="$(basename "$f")"
    sha="$(sha_of "$f")"
    files+="${files:+, }$(file_json "$name" "$base/files/bench/many/$name" "$small_bytes" "$sha")"
    printf '%s  %s\n' "$sha" "$work/dl/many/$name" >>"$work/many.sha256"
    printf 'url = "%s"\noutput = "%s"\n' "$base/files/bench/many/$name" "$work/dl/many/$name" >>"$work/curl-many.cfg"
done
entry bmany "$files" >"$work/cat-many.json"

# --- measuring ----------------------------------------------------------------------------------------------------
now_ns() { date +%s%N; }

# run_case KEY PREP CMD...: PREP (a function, untimed), then CMD timed: wall time in res/KEY.ns, peak RSS
# (GNU time %M, the same figure as "Maximum resident set size" of time -v) in res/KEY.rss.
run_case() {
    local key=$1 prep=$2
    shift 2
    "$prep"
    local start end rc
    start=$(now_ns)
    /usr/bin/time -f '%M' -o "$work/time.out" "$@" >>"$work/logs/$key.out" 2>>"$work/logs/$key.err"
    rc=$?
    end=$(now_ns)
    if ((rc != 0)); then
        log "FAILED ($rc): $key: $*"
        echo "$key" >>"$work/res/failed"
        tail -5 "$work/logs/$key.err" >&2
        return 1
    fi
    echo $((end - start)) >>"$work/res/$key.ns"
    tail -1 "$work/time.out" >>"$work/res/$key.rss"
    printf 'bench:   %-14s %8.3f s\n' "$key" "$(awk -v n=$((end - start)) 'BEGIN{print n/1e9}')" >&2
}

# median KEY -> seconds (empty when the case has no successful run)
median() {
    [[ -s "$work/res/$1.ns" ]] || return 0
    sort -n "$work/res/$1.ns" | awk '{v[NR]=$1} END{m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%.4f", m/1e9}'
}
max_rss_mib() {
    [[ -s "$work/res/$1.rss" ]] || return 0
    sort -n "$work/res/$1.rss" | tail -1 | awk '{printf "%.1f", $1/1024}'
}
runs_of() { [[ -s "$work/res/$1.ns" ]] && wc -l <"$work/res/$1.ns" || echo 0; }
failed() { [[ -s "$work/res/failed" ]] && grep -qx "$1" "$work/res/failed"; }
set_ms() { echo "$2" >"$work/res/$1.ms"; } # for the hyperfine cases, median in ms
get_ms() { [[ -s "$work/res/$1.ms" ]] && cat "$work/res/$1.ms"; }

warm_server() { cat "$www/big.bin" >/dev/null; }
prep_dl() {
    rm -rf "$work/dl/big.bin" "$work/dl/big.bin.aria2" "$work/dl/$thr_name" "$work/dl/many"
    mkdir -p "$work/dl/many"
    sync
}
prep_big() {
    prep_dl
    warm_server
}
prep_home_big() {
    rm -rf "$work/home-big"
    sync
    warm_server
}
prep_home_many() {
    rm -rf "$work/home-many"
    prep_dl
    cat "$www"/many/*.bin >/dev/null
}
prep_home_thr() {
    rm -rf "$work/home-thr"
    prep_dl
    cat "$www/$thr_name" >/dev/null
}
prep_none() { :; }

dl_big="$work/dl/big.bin"
url_big="$base/files/bench/big.bin"
curl_o=(curl -sS -f -o "$dl_big" "$url_big")
curl_sha=(bash -c 'curl -sS -f -o "$1" "$2" && printf "%s  %s\n" "$3" "$1" | sha256sum -c --quiet' _ "$dl_big" "$url_big" "$big_sha")
curl_ossl=(bash -c 'curl -sS -f -o "$1" "$2" && [[ "$(openssl dgst -sha256 -r "$1" | cut -c1-64)" == "$3" ]]' _ "$dl_big" "$url_big" "$big_sha")
curl_fsync=(bash -c 'curl -sS -f -o "$1" "$2" && sync "$1"' _ "$dl_big" "$url_big")
aria2_common=(aria2c -q -x4 -s4 --file-allocation=none --allow-overwrite=true --auto-file-renaming=false
    --check-certificate=false -d "$work/dl")
fetch_big=(env CXRCAT_HOME="$work/home-big" "$CX" --catalog "$work/cat-big.json" fetch bbig --accept-terms --progress none)

machine_load() { cut -d' ' -f1-3 /proc/loadavg; }
# cpu_busy: percentage of CPU time not idle over the next 2 s, whoever uses it (other builds, tests…)
cpu_busy() {
    local a b
    a=($(head -1 /proc/stat))
    sleep 2
    b=($(head -1 /proc/stat))
    awk -v u="$((b[1] + b[2] + b[3] + b[6] + b[7] - a[1] - a[2] - a[3] - a[6] - a[7]))" \
        -v i="$((b[4] + b[5] - a[4] - a[5]))" 'BEGIN{printf "%.0f", (u + i) ? 100 * u / (u + i) : 0}'
}
# before_section NAME: with BENCH_WAIT_IDLE=S, waits up to S seconds for the machine to be quiet
# (under 15 % busy); records how busy it was, for the table.
before_section() {
    local busy waited=0 limit=${BENCH_WAIT_IDLE:-0}
    busy="$(cpu_busy)"
    while ((busy > 15 && waited < limit)); do
        ((waited == 0)) && log "  machine ${busy}% busy; waiting up to ${limit} s for it to be quiet"
        sleep 8
        waited=$((waited + 10))
        busy="$(cpu_busy)"
    done
    printf '%s:%s%% ' "$1" "$busy" >>"$work/res/busy"
}
load_start="$(machine_load)"
t_start=$(date +%s)

# 1 + 6: the 2 GiB file, unthrottled; the cases interleaved run by run so that drift hits all alike
section_on 1 && before_section 1 && log "1/6. ${BIG_MIB} MiB over loopback, $RUNS runs per case"
for ((r = 1; r <= RUNS && $(section_on 1 && echo 1 || echo 0); r++)); do
    run_case curl_o prep_big "${curl_o[@]}"
    run_case curl_fsync prep_big "${curl_fsync[@]}"
    run_case curl_sha prep_big "${curl_sha[@]}"
    run_case curl_ossl prep_big "${curl_ossl[@]}"
    if ((have_aria2)); then
        run_case aria2 prep_big "${aria2_common[@]}" --checksum="sha-256=$big_sha" -o big.bin "$url_big"
    fi
    run_case cx_fetch prep_home_big "${fetch_big[@]}"
done
prep_dl # the last cxrcat install stays in home-big for sections 3 and 7

# 2: many small files
section_on 2 && before_section 2 && log "2. ${SMALL_COUNT} × ${SMALL_MIB} MiB, $RUNS runs per case"
for ((r = 1; r <= RUNS && $(section_on 2 && echo 1 || echo 0); r++)); do
    run_case curl_par4 prep_home_many curl -sS -f --parallel --parallel-max 4 -K "$work/curl-many.cfg"
    run_case curl_par8 prep_home_many curl -sS -f --parallel --parallel-max 8 -K "$work/curl-many.cfg"
    run_case curl_seq prep_home_many curl -sS -f -K "$work/curl-many.cfg"
    run_case curl_par4_sha prep_home_many bash -c 'curl -sS -f --parallel --parallel-max 4 -K "$1" && sha256sum -c --quiet "$2"' \
        _ "$work/curl-many.cfg" "$work/many.sha256"
    run_case cx_j8 prep_home_many env CXRCAT_HOME="$work/home-many" "$CX" --catalog "$work/cat-many.json" fetch bmany --accept-terms --progress none -j 8
    run_case cx_j4 prep_home_many env CXRCAT_HOME="$work/home-many" "$CX" --catalog "$work/cat-many.json" fetch bmany --accept-terms --progress none -j 4
done
prep_dl

# 6: the same files split over 4 worker processes (--shard K/4, one connection each) into one shared
# CXRCAT_HOME, as a Slurm array or an Indexed Job would run them, against one process with -j 4.
# (A script for bash -c, not a function: GNU time execs what it measures.)
shards4='pids=(); for k in 1 2 3 4; do CXRCAT_HOME="$1" "$2" --catalog "$3" fetch bmany --accept-terms \
    --progress none -j 1 --shard "$k/4" & pids+=($!); done; failed=0; for p in "${pids[@]}"; do wait "$p" || failed=1; done; exit "$failed"'
section_on 6 && before_section 6 && log "6. ${SMALL_COUNT} × ${SMALL_MIB} MiB: 4 concurrent shards vs -j 4, $RUNS runs per case"
for ((r = 1; r <= RUNS && $(section_on 6 && echo 1 || echo 0); r++)); do
    run_case cx_shards4 prep_home_many bash -c "$shards4" _ "$work/home-many" "$CX" "$work/cat-many.json"
    run_case cx_j4_s6 prep_home_many env CXRCAT_HOME="$work/home-many" "$CX" --catalog "$work/cat-many.json" fetch bmany --accept-terms --progress none -j 4
done
prep_dl

# 3: verify, on the installed datasets (page cache warm on both sides: the files were just written)
section_on 3 && before_section 3 && log "3. verify, $RUNS runs per case"
printf '%s  %s\n' "$big_sha" "$work/home-big/datasets/bbig/big.bin" >"$work/big.sha256"
sed "s#$work/dl/many/#$work/home-many/datasets/bmany/#" "$work/many.sha256" >"$work/many-installed.sha256"
for ((r = 1; r <= RUNS && $(section_on 3 && echo 1 || echo 0); r++)); do
    run_case sha_c prep_none sha256sum -c --quiet "$work/big.sha256"
    run_case ossl_dgst prep_none openssl dgst -sha256 "$work/home-big/datasets/bbig/big.bin"
    run_case cx_verify prep_none env CXRCAT_HOME="$work/home-big" "$CX" --catalog "$work/cat-big.json" verify bbig
    run_case sha_c_many prep_none sha256sum -c --quiet "$work/many-installed.sha256"
    run_case cx_verify_many prep_none env CXRCAT_HOME="$work/home-many" "$CX" --catalog "$work/cat-many.json" verify bmany
done

# 7 + 8: milliseconds, with hyperfine (median of FAST_RUNS after 3 warm-ups) or a plain loop
fast_case() { # KEY CXRCAT_HOME COMMAND-STRING (split on spaces by hyperfine -N: no exec of a shell or env)
    local key=$1 command=$3
    export CXRCAT_HOME="$2"
    if ((have_hyperfine)); then
        if hyperfine -N --warmup 3 --runs "$FAST_RUNS" --export-json "$work/res/$key.json" "$command" \
            >>"$work/logs/$key.out" 2>>"$work/logs/$key.err"; then
            set_ms "$key" "$("$PY" -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1e3))' "$work/res/$key.json")"
        else
            log "FAILED: $key: $command"
            echo "$key" >>"$work/res/failed"
        fi
    else
        local i start end
        for ((i = 0; i < 3; i++)); do bash -c "$command" >/dev/null 2>&1; done
        : >"$work/res/$key.loop"
        for ((i = 0; i < FAST_RUNS; i++)); do
            start=$(now_ns)
            bash -c "$command" >/dev/null 2>>"$work/logs/$key.err" || echo "$key" >>"$work/res/failed"
            end=$(now_ns)
            echo $((end - start)) >>"$work/res/$key.loop"
        done
        set_ms "$key" "$(sort -n "$work/res/$key.loop" | awk '{v[NR]=$1} END{m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%.2f", m/1e6}')"
    fi
    unset CXRCAT_HOME
    log "  $key: $(get_ms "$key") ms"
}
if section_on 7; then
    before_section 7
    log "7. rerun of installed datasets (no-op fetch), $FAST_RUNS runs"
    fast_case rerun_big "$work/home-big" "$CX --catalog $work/cat-big.json fetch bbig --accept-terms --progress none"
    fast_case rerun_many "$work/home-many" "$CX --catalog $work/cat-many.json fetch bmany --accept-terms --progress none"
fi
if section_on 8; then
    before_section 8
    log "8. list cold start, $FAST_RUNS runs"
    fast_case list_cx "$work/home-big" "$CX list"
    [[ -n "${BENCH_BASELINE:-}" ]] && fast_case list_base "$work/home-big" "$BENCH_BASELINE"
    fast_case list_py "$work/home-big" "$PY -c 'import json'"
    fast_case py_bare "$work/home-big" "$PY -c pass"
fi

# 10: cxrcat labels at MIMIC-CXR-JPG scale (issue 20 §4) against pandas doing the same work, run by run
if section_on 10; then
    before_section 10
    log "10. labels of MIMIC-CXR-JPG size (377,110 images, 227,827 studies), $RUNS runs per case"
    labels_dir="$work/home-labels/datasets/mimic-cxr-jpg"
    "$PY" "$root/bench/make_mimic_labels.py" "$labels_dir" || die "cannot generate the MIMIC-size label tables"
    for ((r = 1; r <= RUNS; r++)); do
        run_case labels_cx prep_none env CXRCAT_HOME="$work/home-labels" $CX labels mimic-cxr-jpg --view PA \
            -o "$work/labels-cx.csv"
        run_case labels_pd prep_none "$PY" "$root/bench/pandas_mimic_labels.py" "$labels_dir" "$work/labels-pd.csv"
    done
    echo "$(($(wc -l <"$work/labels-cx.csv") - 1)) rows from cxrcat, $(($(wc -l <"$work/labels-pd.csv") - 1)) from pandas" \
        >"$work/res/labels.note"
fi

# 11: planning `fetch --where` at MIMIC-CXR-JPG scale (issue 20 §4): the same label tables and a
# SHA256SUMS.txt of all 377,110 images served as PhysioNet serves them (loopback nginx under /files/);
# the first, untimed run downloads the three label tables, the timed runs plan a --dry-run selection
# (label tables installed, the listing fetched and matched each time)
if section_on 11; then
    before_section 11
    log "11. fetch --where planning at MIMIC-CXR-JPG scale, $RUNS runs"
    pn_dir="$srv/www/mimic-cxr-jpg/2.1.0"
    "$PY" "$root/bench/make_mimic_labels.py" "$pn_dir" && "$PY" "$root/bench/make_mimic_listing.py" "$pn_dir" ||
        die "cannot generate the MIMIC-size label tables and listing"
    where=(fetch mimic-cxr-jpg --where finding.Pneumothorax=1 --where view=PA --dry-run)
    pn_env=(env CXRCAT_HOME="$work/home-where" CXRCAT_PHYSIONET_URL="$base" CXRCAT_PHYSIONET_USER=bench
        CXRCAT_PHYSIONET_PASSWORD=bench)
    "${pn_env[@]}" $CX "${where[@]}" --accept-terms >"$work/where-first.txt" 2>"$work/logs/where-first.log" ||
        die "the first fetch --where (label tables) failed: $(tail -3 "$work/logs/where-first.log")"
    for ((r = 1; r <= RUNS; r++)); do
        run_case where_plan prep_none "${pn_env[@]}" $CX "${where[@]}"
    done
    "${pn_env[@]}" $CX "${where[@]}" 2>&1 | grep -m1 -i "select" >"$work/res/where.note" || true
fi

# 9: fetch --to s3:// (issue 10): the big file streamed into Ceph radosgw (tests/servers/s3_fixture.py, memstore
# sized for it) against a local-disk fetch of it from the same loopback nginx, interleaved run by run
if section_on 9; then
    before_section 9
    s3dir="$work/s3"
    log "9. ${BIG_MIB} MiB into radosgw with fetch --to s3://, $RUNS runs per case"
    if ! command -v s3cmd >/dev/null; then
        log "9. skipped: s3cmd is missing (scripts/install-deps --test)"
    elif CXRCAT_S3_MEMSTORE_MIB=$((2 * BIG_MIB + 256)) /usr/bin/python3 "$root/tests/servers/s3_fixture.py" \
        start "$s3dir" >"$work/logs/s3-fixture.log" 2>&1; then
        s3_field() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$s3dir/s3.json" "$1"; }
        s3_env=(AWS_ACCESS_KEY_ID="$(s3_field access_key)" AWS_SECRET_ACCESS_KEY="$(s3_field secret_key)"
            AWS_ENDPOINT_URL="$(s3_field endpoint)" AWS_REGION="$(s3_field region)")
        s3_host="$(s3_field endpoint | sed 's|^http://||')"
        s3c=(s3cmd --config=/dev/null --no-ssl --host="$s3_host" --host-bucket="$s3_host"
            --access_key="$(s3_field access_key)" --secret_key="$(s3_field secret_key)" --region="$(s3_field region)")
        "${s3c[@]}" mb s3://cxrcat-bench >>"$work/logs/s3-fixture.log" 2>&1
        # A deleted object keeps its memory until radosgw's garbage collector runs (hours later by
        # default): collect now, or the memstore fills up and the OSD stalls every upload.
        prep_s3() {
            "${s3c[@]}" del --recursive --force s3://cxrcat-bench/run/ >/dev/null 2>&1
            radosgw-admin -c "$s3dir/ceph/ceph.conf" -n client.admin gc process --include-all >/dev/null 2>&1
            rm -rf "$work/home-s3"
            warm_server
        }
        # The store's own ceiling: curl PUTs the local file (signed by curl, no download, no digest).
        # (The key pair goes through a config file, not the command line.)
        (umask 077 && printf 'user = "%s:%s"\n' "$(s3_field access_key)" "$(s3_field secret_key)" >"$work/s3-put.cfg")
        put_s3=(curl -sS -f --noproxy '*' -K "$work/s3-put.cfg" --aws-sigv4 "aws:amz:$(s3_field region):s3"
            -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T "$www/big.bin" "$(s3_field endpoint)/cxrcat-bench/run/put.bin")
        for ((r = 1; r <= RUNS; r++)); do
            run_case cx_fetch9 prep_home_big "${fetch_big[@]}"
            run_case cx_to_s3 prep_s3 env "${s3_env[@]}" CXRCAT_HOME="$work/home-s3" "$CX" --catalog "$work/cat-big.json" \
                fetch bbig --accept-terms --progress none --to s3://cxrcat-bench/run
            run_case curl_put_s3 prep_s3 "${put_s3[@]}"
        done
        prep_s3
        /usr/bin/python3 "$root/tests/servers/s3_fixture.py" stop "$s3dir" >>"$work/logs/s3-fixture.log" 2>&1
    else
        log "9. skipped: radosgw did not start: $(tail -2 "$work/logs/s3-fixture.log")"
    fi
fi

# 5: throttled, the segmented path (last: the slowest section)
if ((SKIP_THROTTLED == 0)); then
    before_section 5
    log "5. ${THROTTLE_MIB} MiB at $THROTTLE_RATE per connection, $THROTTLE_RUNS run(s) per case"
    for ((r = 1; r <= THROTTLE_RUNS; r++)); do
        run_case cx_seg4 prep_home_thr env CXRCAT_HOME="$work/home-thr" "$CX" --catalog "$work/cat-thr.json" fetch bthr --accept-terms --progress none --segments 4
        if ((have_aria2)); then
            run_case aria2_thr prep_home_thr "${aria2_common[@]}" --checksum="sha-256=$thr_sha" -o "$thr_name" \
                "$base/throttled/bench/$thr_name"
        fi
        run_case cx_seg1 prep_home_thr env CXRCAT_HOME="$work/home-thr" "$CX" --catalog "$work/cat-thr.json" fetch bthr --accept-terms --progress none --segments 1
    done
    # How many ranged requests cxrcat made on the throttled file (--segments 4 runs first: segments − 1 each)
    "$PY" - "$srv/logs/access.log" "/throttled/bench/$thr_name" >"$work/res/thr.note" <<'PY'
import json, sys
ranged = plain = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    try:
        rec = json.loads(line)
    except ValueError:
        continue
    if rec.get("path") == sys.argv[2] and rec.get("user_agent", "").startswith("cxrcat"):
        if rec.get("range"):
            ranged += 1
        else:
            plain += 1
print(f"nginx saw cxrcat make {plain} whole-file and {ranged} ranged requests on the throttled file "
      f"(--segments 4 then 1: expect 2 and 3)")
PY
fi
rm -rf "$work/dl" "$work/home-thr"
load_end="$(machine_load)"
t_total=$(($(date +%s) - t_start))

# --- the table ----------------------------------------------------------------------------------------------------
cat <<EOF

cxrcat benchmarks — $(date -u +%Y-%m-%dT%H:%MZ)
binary   $CX
         $("$CX" --version | head -1), $source_desc
machine  $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -r); load $load_start at start, $load_end at end
tools    $(curl --version | head -1 | cut -d' ' -f1-2), $(openssl version | cut -d' ' -f1-2), sha256sum $(sha256sum --version | head -1 | awk '{print $NF}')$( ((have_aria2)) && echo ", aria2 $(aria2c --version | head -1 | awk '{print $3}')")$( ((have_hyperfine)) && echo ", $(hyperfine --version)"), $PY ($("$PY" --version 2>&1))
data     big ${BIG_MIB} MiB; ${SMALL_COUNT} × ${SMALL_MIB} MiB; throttled ${THROTTLE_MIB} MiB at ${THROTTLE_RATE}/connection; loopback nginx, server page cache warm
runs     median of $RUNS for the second-scale cases, of $FAST_RUNS (after 3 warm-ups) for the ms cases; ${t_total} s in all
EOF
((quick)) && echo "QUICK MODE: small sizes, the ratios are not comparable with the targets"
echo "busy     CPU busy (all processes) just before each section: $(cat "$work/res/busy" 2>/dev/null)"
# A virtual machine that hands freed memory back to its host (virtio-balloon free page reporting)
# pays a host page fault for every page-cache page written afterwards: that cost, not the tools,
# then dominates every row that writes a file (see README.md, "Reading the figures").
reporting=/sys/module/page_reporting/parameters/page_reporting_order
if [[ -r "$reporting" ]]; then
    echo "memory   free page reporting to the host: order $(cat "$reporting") ($(
        (($(cat "$reporting") > 10)) && echo "off: freed pages stay backed" || echo "ON: freed pages return to the host; writes are slowed"))"
fi
awk -v b="$(cat "$work/res/busy" 2>/dev/null)" 'BEGIN{n = split(b, a, " "); for (k = 1; k <= n; k++) { split(a[k], f, ":"); if (f[2] + 0 > 15) w = 1 }
    if (w) print "WARNING: the machine was busy with other work during the run: the figures are pessimistic and the ratios unreliable"}'

row() { # LABEL KEY BYTES
    local t
    t="$(median "$2")"
    if [[ -z "$t" ]]; then
        printf '  %-52s %10s\n' "$1" "$(failed "$2" && echo FAILED || echo -)"
        return
    fi
    if [[ -n "${3:-}" ]]; then
        printf '  %-52s %9.2f s %8.0f MB/s %8s MiB  (%s runs)\n' "$1" "$t" "$(awk -v b="$3" -v t="$t" 'BEGIN{print b/t/1e6}')" \
            "$(max_rss_mib "$2")" "$(runs_of "$2")"
    else
        printf '  %-52s %9.3f s %13s %8s MiB  (%s runs)\n' "$1" "$t" "" "$(max_rss_mib "$2")" "$(runs_of "$2")"
    fi
}
# ratio LABEL NUM DEN OP TARGET [ms]: NUM/DEN with the target "OP TARGET" (OP is <= or >=)
ratio() {
    local label=$1 num den verdict value
    if [[ "${6:-}" == ms ]]; then
        num="$(get_ms "$2")"
        den="$(get_ms "$3")"
    else
        num="$(median "$2")"
        den="$(median "$3")"
    fi
    if [[ -z "$num" || -z "$den" ]]; then
        printf '  %-60s %8s   target %s %s×\n' "$label" "n/a" "$4" "$5"
        return
    fi
    value="$(awk -v a="$num" -v b="$den" 'BEGIN{printf "%.3f", a/b}')"
    if [[ "$4" == "-" ]]; then
        printf '  %-60s %7.2f×   (no target)\n' "$label" "$value"
        return
    fi
    verdict="$(awk -v v="$value" -v t="$5" -v op="$4" 'BEGIN{ok = (op == "<=") ? (v <= t) : (v >= t); print ok ? "met" : "MISSED"}')"
    printf '  %-60s %7.2f×   target %s %s×   %s\n' "$label" "$value" "$4" "$5" "$verdict"
}

# Each section prints its heading and rows only when BENCH_SECTIONS selected it (section 4 when one of the
# sections whose cxrcat runs it reports, 1, 2, 3 or 5, was), so a partial run shows no empty rows.
if section_on 1; then
    echo
    echo "1. ${BIG_MIB} MiB file over loopback HTTP                        median        rate   peak RSS"
    row "curl -o" curl_o "$big_bytes"
    row "curl -o && sync FILE (durable, for reference)" curl_fsync "$big_bytes"
    row "curl -o && sha256sum -c" curl_sha "$big_bytes"
    row "curl -o && openssl dgst -sha256" curl_ossl "$big_bytes"
    ((have_aria2)) && row "aria2c -x4 -s4 --checksum=sha-256 (6.)" aria2 "$big_bytes"
    row "cxrcat fetch (download + sha256 + fsync + install)" cx_fetch "$big_bytes"
    echo "   cxrcat / baseline"
    ratio "cxrcat fetch / (curl -o && sha256sum)" cx_fetch curl_sha "<=" 0.45
    ratio "cxrcat fetch / (curl -o && openssl dgst)" cx_fetch curl_ossl "<=" 0.75
    ratio "cxrcat fetch / curl -o" cx_fetch curl_o "<=" 1.1
    ratio "cxrcat fetch / (curl -o && sync)" cx_fetch curl_fsync - -
    ((have_aria2)) && ratio "cxrcat fetch / aria2c -x4 --checksum (6.)" cx_fetch aria2 - -
fi

if section_on 2; then
    echo
    echo "2. ${SMALL_COUNT} files × ${SMALL_MIB} MiB                                          median        rate   peak RSS"
    row "curl --parallel --parallel-max 4 -K (download only)" curl_par4 "$many_bytes"
    row "curl --parallel --parallel-max 8 -K (download only)" curl_par8 "$many_bytes"
    row "curl -K (sequential, one connection)" curl_seq "$many_bytes"
    row "curl --parallel-max 4 -K && sha256sum -c" curl_par4_sha "$many_bytes"
    row "cxrcat fetch -j 4" cx_j4 "$many_bytes"
    row "cxrcat fetch -j 8" cx_j8 "$many_bytes"
    echo "   cxrcat / baseline"
    ratio "cxrcat -j 4 / curl --parallel-max 4" cx_j4 curl_par4 "<=" 1.0
    ratio "cxrcat -j 8 / curl --parallel-max 8  (issue 11's pairing)" cx_j8 curl_par8 "<=" 1.0
    ratio "cxrcat -j 8 / curl --parallel-max 4  (the faster curl)" cx_j8 curl_par4 - -
    ratio "cxrcat -j 4 / (curl --parallel-max 4 && sha256sum -c)" cx_j4 curl_par4_sha - -
fi

if section_on 3; then
    echo
    echo "3. verify (installed files, page cache warm)                      median        rate   peak RSS"
    row "sha256sum -c  (${BIG_MIB} MiB)" sha_c "$big_bytes"
    row "openssl dgst -sha256  (${BIG_MIB} MiB, for reference)" ossl_dgst "$big_bytes"
    row "cxrcat verify  (${BIG_MIB} MiB, 1 file)" cx_verify "$big_bytes"
    row "sha256sum -c  (${SMALL_COUNT} × ${SMALL_MIB} MiB)" sha_c_many "$many_bytes"
    row "cxrcat verify  (${SMALL_COUNT} × ${SMALL_MIB} MiB, all cores)" cx_verify_many "$many_bytes"
    echo "   cxrcat / baseline"
    ratio "cxrcat verify / sha256sum -c  (${BIG_MIB} MiB)" cx_verify sha_c "<=" 0.3
    ratio "cxrcat verify / sha256sum -c  (${SMALL_COUNT} files)" cx_verify_many sha_c_many "<=" 0.3
fi

if section_on 1 || section_on 2 || section_on 3 || section_on 5; then
    rss_rows=""
    for key in cx_fetch cx_j4 cx_j8 cx_seg4 cx_seg1 cx_verify cx_verify_many; do
        rss="$(max_rss_mib "$key")"
        [[ -z "$rss" ]] && continue
        rss_rows+="$(printf '  %-52s %8s MiB   %s' "$key" "$rss" "$(awk -v r="$rss" 'BEGIN{print (r <= 32) ? "met" : "MISSED"}')")"$'\n'
    done
    if [[ -n "$rss_rows" ]]; then # none when the selected sections measured no cxrcat run (5 skipped)
        echo
        echo "4. peak RSS (GNU time, maximum resident set size, max over runs)     target <= 32 MiB"
        printf '%s' "$rss_rows"
    fi
fi

if section_on 5 && ((SKIP_THROTTLED)); then
    echo
    echo "5. throttled: skipped (BENCH_SKIP_THROTTLED=1)"
elif section_on 5; then
    echo
    echo "5. ${THROTTLE_MIB} MiB, nginx limit_rate ${THROTTLE_RATE} per connection         median        rate   peak RSS"
    row "cxrcat fetch --segments 1" cx_seg1 "$thr_bytes"
    row "cxrcat fetch --segments 4" cx_seg4 "$thr_bytes"
    ((have_aria2)) && row "aria2c -x4 -s4 --checksum=sha-256" aria2_thr "$thr_bytes"
    echo "   speed-up"
    ratio "cxrcat --segments 1 / --segments 4  (speed-up of segments)" cx_seg1 cx_seg4 ">=" 3.5
    ((have_aria2)) && ratio "cxrcat --segments 4 / aria2c -x4" cx_seg4 aria2_thr - -
    [[ -s "$work/res/thr.note" ]] && echo "   $(cat "$work/res/thr.note")"
fi

if section_on 9; then
    echo
    echo "9. ${BIG_MIB} MiB into S3 (radosgw, memstore) vs local disk       median        rate   peak RSS"
    row "cxrcat fetch (local disk)" cx_fetch9 "$big_bytes"
    row "cxrcat fetch --to s3:// (stream + verify + multipart)" cx_to_s3 "$big_bytes"
    row "curl --aws-sigv4 -T (PUT of the local file: the store's ceiling)" curl_put_s3 "$big_bytes"
    echo "   throughput of --to s3:// relative to the local fetch"
    ratio "throughput of --to s3:// / local fetch (local time / s3 time)" cx_fetch9 cx_to_s3 ">=" 0.7
    ratio "--to s3:// / curl PUT of the same bytes (reference)" cx_to_s3 curl_put_s3 - -
fi

if section_on 10; then
    echo
    echo "10. labels at MIMIC-CXR-JPG scale (--view PA)                     median        rate   peak RSS"
    row "cxrcat labels mimic-cxr-jpg --view PA -o FILE" labels_cx
    row "pandas: read 3 tables, join, paths, PA, to_csv" labels_pd
    echo "   cxrcat / baseline"
    ratio "cxrcat labels / pandas" labels_cx labels_pd "<=" 0.5
    rss="$(max_rss_mib labels_cx)"
    [[ -n "$rss" ]] && printf '  %-60s %6s MiB   target <= 128 MiB   %s\n' "peak RSS of cxrcat labels" "$rss" \
        "$(awk -v v="$rss" 'BEGIN{print (v <= 128) ? "met" : "MISSED"}')"
    [[ -s "$work/res/labels.note" ]] && echo "   $(cat "$work/res/labels.note")"
fi

if section_on 11; then
    echo
    echo "11. planning fetch --where at MIMIC-CXR-JPG scale (377,110 listed)   median        rate   peak RSS"
    row "fetch mimic-cxr-jpg --where Pneumothorax=1, PA --dry-run" where_plan
    v="$(median where_plan)"
    [[ -n "$v" ]] && printf '  %-60s %6.2f s     target <= 2 s      %s\n' "planning time" "$v" \
        "$(awk -v v="$v" 'BEGIN{print (v <= 2) ? "met" : "MISSED"}')"
    [[ -s "$work/res/where.note" ]] && echo "   $(cat "$work/res/where.note")"
fi

if section_on 6; then
    echo
    echo "6. ${SMALL_COUNT} files × ${SMALL_MIB} MiB, one shared CXRCAT_HOME                  median        rate   peak RSS"
    row "cxrcat fetch --shard K/4 -j 1, 4 processes at once" cx_shards4 "$many_bytes"
    row "cxrcat fetch -j 4 (one process)" cx_j4_s6 "$many_bytes"
    echo "   cxrcat / baseline"
    ratio "4 concurrent shards / one process -j 4" cx_shards4 cx_j4_s6 "<=" 1.1
fi

if section_on 7; then
    echo
    echo "7. rerun of an installed dataset (no-op fetch)                   median"
    printf '  %-52s %8s ms\n' "cxrcat fetch, ${BIG_MIB} MiB dataset installed" "$(get_ms rerun_big)"
    printf '  %-52s %8s ms\n' "cxrcat fetch, ${SMALL_COUNT}-file dataset installed" "$(get_ms rerun_many)"
    for key in rerun_big rerun_many; do
        v="$(get_ms "$key")"
        [[ -n "$v" ]] && printf '  %-60s %6s ms   target <= 50 ms   %s\n' "$key" "$v" \
            "$(awk -v v="$v" 'BEGIN{print (v <= 50) ? "met" : "MISSED"}')"
    done
fi

if section_on 8; then
    echo
    echo "8. cold start (issues 2, 11)                                      median"
    printf '  %-52s %8s ms\n' "cxrcat list (built-in catalog)" "$(get_ms list_cx)"
    # the baseline's rows only when it was measured (with CXRCAT given and no BENCH_BASELINE it is not)
    [[ -n "${BENCH_BASELINE:-}" ]] &&
        printf '  %-52s %8s ms\n' "start-up baseline (links the same libraries, no work)" "$(get_ms list_base)"
    if [[ -n "$(get_ms list_cx)" && -n "$(get_ms list_base)" ]]; then
        printf '  %-52s %8s ms\n' "cxrcat list − baseline (what cxrcat controls)" \
            "$(awk -v a="$(get_ms list_cx)" -v b="$(get_ms list_base)" 'BEGIN{printf "%.2f", a - b}')"
    fi
    printf '  %-52s %8s ms\n' "$PY -c 'import json'" "$(get_ms list_py)"
    printf '  %-52s %8s ms\n' "$PY -c pass (for reference)" "$(get_ms py_bare)"
    ratio "cxrcat list / python3 -c 'import json'" list_cx list_py "<=" 0.5 ms
    [[ -n "${BENCH_BASELINE:-}" ]] && ratio "cxrcat list / start-up baseline" list_cx list_base - - ms
fi

if [[ -s "$work/res/failed" ]]; then
    echo
    echo "FAILED cases (see the logs with --keep): $(sort -u "$work/res/failed" | tr '\n' ' ')"
    exit 1
fi
