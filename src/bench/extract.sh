#!/usr/bin/env bash
# src/bench/extract.sh: wall time and peak memory of `regx extract IMAGE 0 -C DIR` and of `regx cat IMAGE 0 PATH`
# (PATH: the last regular file of the layer), against `curl … | tar -xz -C DIR` and `curl … | tar -xzO PATH` of the
# same blob after the same token flow, in the same run, on a layer built from a real directory tree.
#
#   src/bench/extract.sh [--tree DIR] [--runs R] [--big-mib N] [--regx PATH]
#
#   --tree DIR     the tree the layer is made of, with `tar -cz` (default /usr/share: on the machine this was
#                  written on, 666 MB in 53k entries, about 250 MB compressed)
#   --runs R       timed runs of each contender, alternating which goes first (default 3); medians reported
#   --big-mib N    also push bench/big:latest (generated, N MiB compressed, ~480 entries per MiB) and report
#                  regx's peak RSS for extract, cat of its last file and cat of a missing PATH: memory must stay
#                  flat in layer size (default 0: off)
#   --regx PATH    the regx to measure (default target/regx, built if missing); extra JVM flags: REGX_JAVA_OPTS
#
# Each contender extracts into a fresh directory on the same file system; the directories are removed between
# runs, untimed. A warm-up run of both checks they agree (same number of files, same bytes for PATH) and puts
# the blob in the page cache. The registry has token auth; curl asks the token server as any client would.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. src/bench/registry-token.sh

tree=/usr/share
runs=3
big=0
regx="target/regx"
while [ $# -gt 0 ]; do
    case "$1" in
        --tree) tree="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --big-mib) big="$2"; shift 2 ;;
        --regx) regx="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "extract.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "extract.sh: --runs needs a positive number" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "extract.sh: /usr/bin/time (GNU time) not found: apt-get install time" >&2; exit 1; }
if [ ! -x "$regx" ]; then
    [ "$regx" = target/regx ] || { echo "extract.sh: $regx is not executable" >&2; exit 1; }
    mvn -q -DskipTests package
fi
regx="$(cd "$(dirname "$regx")" && pwd)/$(basename "$regx")"

work="$(mktemp -d "${TMPDIR:-/tmp}/regx-extract-bench.XXXXXX")"
registry_pid=""
cleanup() {
    [ -z "$registry_pid" ] || { kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building the layer: tar -cz of $tree" >&2
tar -C "$(dirname "$tree")" -czf "$work/tree.tar.gz" "$(basename "$tree")"
registry_args=(--token-auth --layer-file "$work/tree.tar.gz" --ready-file "$work/ready")
[ "$big" = 0 ] || registry_args+=(--big-layer-mib "$big")
echo "starting a local registry (log: $work/registry.log)" >&2
src/scripts/local-registry "${registry_args[@]}" >"$work/registry.log" 2>&1 &
registry_pid=$!
while [ ! -s "$work/ready" ]; do
    kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry.log" >&2; exit 1; }
    sleep 1
done
host="$(awk '{print $1 ":" $2}' "$work/ready")"

blob() {
    local t auth=()
    t="$(token)"
    [ -z "$t" ] || auth=(-H "Authorization: Bearer $t")
    curl -sfL "${auth[@]}" "http://$host/v2/$repo/blobs/$digest"
}
curl_x() { blob | tar -xz -C "$1"; }
curl_cat() { blob | tar -xzO "$1"; }
export -f blob curl_x curl_cat

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# timed FILE CMD...: runs CMD under GNU time, stdout to /dev/null; appends "SECONDS MAXRSS_KIB" to FILE.
timed() {
    local out="$1"; shift
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null
    cat "$work/time" >>"$out"
}

setup() {
    repo="${1%:*}"
    ref="$host/$1"
    digest="$("$regx" layers -q "$ref" 2>/dev/null | head -n 1)"
    bytes="$("$regx" layers --json "$ref" 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["layers"][0]["size"])')"
    export host repo digest
    # The last regular file in the layer: cat must read the whole blob to reach it.
    last="$(blob | tar -tvz | awk '$1 ~ /^-/ { line = $0 } END { print line }' | sed 's/^.* [0-9:]\{5\} //')"
}

setup bench/tree:latest
echo "warm-up: $ref, $bytes bytes; last file $last" >&2
"$regx" extract "$ref" 0 -C "$work/r" >/dev/null
mkdir "$work/c" && curl_x "$work/c"
r_count="$(find "$work/r" | wc -l)"; c_count="$(find "$work/c" | wc -l)"
[ "$r_count" = "$c_count" ] || { echo "extract.sh: regx wrote $r_count entries, tar $c_count" >&2; exit 1; }
cmp <("$regx" cat "$ref" 0 "$last") <(curl_cat "$last") || { echo "extract.sh: cat differs" >&2; exit 1; }
rm -rf "$work/r" "$work/c"

for f in rx cx rc cc; do : >"$work/$f"; done
for i in $(seq 1 "$runs"); do
    # Alternate which goes first, so drift in the machine's load hits both alike.
    if [ $((i % 2)) -eq 1 ]; then
        timed "$work/rx" "$regx" extract "$ref" 0 -C "$work/r"
        mkdir "$work/c"; timed "$work/cx" bash -o pipefail -c 'curl_x "$0"' "$work/c"
        timed "$work/rc" "$regx" cat "$ref" 0 "$last"
        timed "$work/cc" bash -o pipefail -c 'curl_cat "$0"' "$last"
    else
        mkdir "$work/c"; timed "$work/cx" bash -o pipefail -c 'curl_x "$0"' "$work/c"
        timed "$work/rx" "$regx" extract "$ref" 0 -C "$work/r"
        timed "$work/cc" bash -o pipefail -c 'curl_cat "$0"' "$last"
        timed "$work/rc" "$regx" cat "$ref" 0 "$last"
    fi
    rm -rf "$work/r" "$work/c"
    echo "  run $i/$runs: extract $(tail -n1 "$work/rx" | cut -d' ' -f1) s vs $(tail -n1 "$work/cx" | cut -d' ' -f1) s;" \
        "cat $(tail -n1 "$work/rc" | cut -d' ' -f1) s vs $(tail -n1 "$work/cc" | cut -d' ' -f1) s" >&2
done
m() { awk '{print $1}' "$work/$1" | median; }
rss() { awk '{print $2}' "$work/$1" | sort -g | tail -n 1; }

echo
echo "layer: tar -cz of $tree, $bytes bytes compressed, $((r_count - 1)) entries; median of $runs alternating runs"
echo "$(nproc) CPUs, load average now $(cut -d' ' -f1-3 /proc/loadavg); $("$regx" --version 2>/dev/null | head -n 1)"
awk -v r="$(m rx)" -v c="$(m cx)" -v rr="$(rss rx)" 'BEGIN { printf "extract  regx %6.2f s   curl | tar -xz  %6.2f s   ratio %.2fx   regx peak RSS %4.0f MiB\n", r, c, r / c, rr / 1024 }'
awk -v r="$(m rc)" -v c="$(m cc)" -v rr="$(rss rc)" 'BEGIN { printf "cat      regx %6.2f s   curl | tar -xzO %6.2f s   ratio %.2fx   regx peak RSS %4.0f MiB\n", r, c, r / c, rr / 1024 }'

if [ "$big" != 0 ]; then
    setup bench/big:latest
    : >"$work/bx"; : >"$work/bc"
    timed "$work/bx" "$regx" extract "$ref" 0 -C "$work/r"
    rm -rf "$work/r"
    timed "$work/bc" "$regx" cat "$ref" 0 "$last"
    awk -v b="$bytes" -v x="$(rss bx)" -v c="$(rss bc)" -v xs="$(m bx)" -v cs="$(m bc)" \
        'BEGIN { printf "big layer %.0f MB: extract %.1f s, peak RSS %.0f MiB; cat of its last file %.1f s, peak RSS %.0f MiB\n", b / 1e6, xs, x / 1024, cs, c / 1024 }'
    # A PATH beside the last file that is not there: exit 3 after one read of the layer, memory as flat.
    : >"$work/bm"
    timed "$work/bm" bash -c '"$0" cat "$1" 0 "$2"; [ $? = 3 ]' "$regx" "$ref" "$(dirname "$last")/regx-bench-missing"
    awk -v m="$(m bm)" -v r="$(rss bm)" 'BEGIN { printf "big layer: cat of a missing PATH (exit 3) %.1f s, peak RSS %.0f MiB\n", m, r / 1024 }'
fi
