#!/usr/bin/env bash
# src/bench/ls.sh: throughput and peak memory of `regx ls IMAGE 0`, streaming one big gzip layer from a local
# registry with token auth whose blob GETs redirect to nginx (a CDN stand-in, src/bench/cdn.sh), against
# `curl | tar -tzv` of the same blob (same token flow, same redirect) in the same run.
#
#   src/bench/ls.sh [--mib N[,N...]] [--runs R] [--rate R] [--connections N] [--port P]
#                   [--registry HOST:PORT] [--image REPO:TAG] [--regx PATH]
#
#   --mib N,M,...        compressed layer sizes in MiB, one local registry each (default 1100,256: the second
#                        size shows whether regx's peak RSS grows with the layer)
#   --runs R             timed runs of each contender per size, alternating regx / curl+tar (default 3); the
#                        median is reported
#   --rate R             nginx's limit_rate per response (e.g. 50m: 50 MB/s per connection, as CDNs cap one
#                        connection; default: none)
#   --connections N      regx's --connections (default 4); regx with --connections 1 runs too, for the ratio
#   --port P             port for the local registry (default: any free one); nginx takes the next one
#   --registry HOST:PORT use a running registry (e.g. `src/scripts/local-registry --big-layer-mib 1100`) instead
#                        of starting one; --mib is then ignored
#   --image REPO:TAG     repository and tag of the big image (default bench/big:latest)
#   --regx PATH          the regx to measure (default target/regx, built with `mvn -q -DskipTests package`
#                        if missing). Extra JVM flags: REGX_JAVA_OPTS.
#
# Each size gets one untimed warm-up run of both contenders that also counts the entries (the two counts must
# agree; the registry's blob file is then in the page cache for both). Throughput is compressed blob bytes /
# wall-clock seconds, including regx's JVM start-up, manifest resolution and digest check, and curl's token
# round trips. Peak RSS is GNU time's "maximum resident set size" of the regx process. The machine's load
# average is printed with the figures: both contenders are CPU-bound, so other work on the machine shows.
# Exits non-zero if anything fails; a registry started here is stopped on exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. src/bench/cdn.sh
. src/bench/registry-token.sh

sizes="1100,256"
runs=3
rate=0
connections=4
port=""
registry=""
image="bench/big:latest"
regx="target/regx"
while [ $# -gt 0 ]; do
    case "$1" in
        --mib) sizes="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --registry) registry="$2"; shift 2 ;;
        --image) image="$2"; shift 2 ;;
        --regx) regx="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "ls.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "ls.sh: --runs needs a positive number" >&2; exit 2; }

for tool in curl tar awk python3 nginx; do
    command -v "$tool" >/dev/null || { echo "ls.sh: $tool not found" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "ls.sh: /usr/bin/time (GNU time) not found: apt-get install time" >&2; exit 1; }
if [ ! -x "$regx" ]; then
    [ "$regx" = target/regx ] || { echo "ls.sh: $regx is not executable" >&2; exit 1; }
    echo "building target/regx" >&2
    mvn -q -DskipTests package
fi

work="$(mktemp -d)"
registry_pid=""
stop_registry() {
    cdn_stop
    if [ -n "$registry_pid" ]; then
        kill "$registry_pid" 2>/dev/null || true
        wait "$registry_pid" 2>/dev/null || true
        registry_pid=""
    fi
}
trap 'stop_registry; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# Starts src/scripts/local-registry with a big layer of $1 MiB; sets $host. Generating the layer takes about a
# minute per GiB.
start_registry() {
    local mib="$1" ready="$work/ready-$1" cdn_port
    if [ -n "$port" ]; then cdn_port=$((port + 1)); else cdn_port="$(cdn_free_port)"; fi
    echo "starting a local registry with a ${mib} MiB layer (log: $work/registry-$mib.log)" >&2
    src/scripts/local-registry --token-auth --big-layer-mib "$mib" --redirect-to "http://127.0.0.1:$cdn_port/" \
        --ready-file "$ready" ${port:+--port "$port"} >"$work/registry-$mib.log" 2>&1 &
    registry_pid=$!
    while [ ! -s "$ready" ]; do
        if ! kill -0 "$registry_pid" 2>/dev/null; then
            echo "ls.sh: the local registry exited:" >&2
            cat "$work/registry-$mib.log" >&2
            exit 1
        fi
        sleep 1
    done
    host="$(awk '{print $1 ":" $2}' "$ready")"
    cdn_start "$work/nginx" "$cdn_port" "$(cdn_storage_root "$work/registry-$mib.log")" "$rate"
    echo "blobs served by nginx on 127.0.0.1:$cdn_port (limit_rate $rate)" >&2
}

# The curl side of the comparison: the token flow any client goes through, then the blob through tar.
curl_tar() {
    local t auth=()
    t="$(token)"
    [ -z "$t" ] || auth=(-H "Authorization: Bearer $t")
    curl -sfL "${auth[@]}" "http://$host/v2/$repo/blobs/$digest" | tar -tzv
}
export -f curl_tar

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Runs "$@" under GNU time, stdout to /dev/null; appends "SECONDS MAXRSS_KIB" to $1's file.
timed() {
    local out="$1"; shift
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null
    cat "$work/time" >>"$out"
}

report=()
bench_one() {
    local label="$1"
    repo="${image%:*}"
    ref="$host/$image"
    digest="$("$regx" layers -q "$ref" 2>/dev/null | head -n 1)"
    [[ "$digest" == sha256:* ]] || { echo "ls.sh: no layer digest for $ref" >&2; exit 1; }
    export host repo digest
    local bytes
    # The size from the manifest: a HEAD on the blob may answer with a redirect to a CDN instead.
    bytes="$("$regx" layers --json "$ref" 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["layers"][0]["size"])')"
    [ -n "$bytes" ] || { echo "ls.sh: cannot get the size of $digest" >&2; exit 1; }

    echo "warm-up: counting entries of $ref ($bytes bytes)" >&2
    local regx_entries tar_entries
    regx_entries="$("$regx" ls "$ref" 0 | wc -l)"
    tar_entries="$(curl_tar | wc -l)"
    if [ "$regx_entries" != "$tar_entries" ]; then
        echo "ls.sh: regx listed $regx_entries entries, curl | tar -tzv $tar_entries" >&2
        exit 1
    fi

    local r_file="$work/regx-$label" c_file="$work/curl-$label" o_file="$work/regx1-$label"
    : >"$r_file"; : >"$c_file"; : >"$o_file"
    for i in $(seq 1 "$runs"); do
        # Alternate which goes first, so drift in the machine's load hits all alike.
        if [ $((i % 2)) -eq 1 ]; then
            timed "$r_file" "$regx" ls --connections "$connections" "$ref" 0
            timed "$c_file" bash -o pipefail -c curl_tar
            timed "$o_file" "$regx" ls --connections 1 "$ref" 0
        else
            timed "$o_file" "$regx" ls --connections 1 "$ref" 0
            timed "$c_file" bash -o pipefail -c curl_tar
            timed "$r_file" "$regx" ls --connections "$connections" "$ref" 0
        fi
        echo "  run $i/$runs: regx $(tail -n 1 "$r_file" | awk '{print $1}') s, curl|tar $(tail -n 1 "$c_file" | awk '{print $1}') s, regx --connections 1 $(tail -n 1 "$o_file" | awk '{print $1}') s" >&2
    done
    local r_s c_s o_s r_rss
    r_s="$(awk '{print $1}' "$r_file" | median)"
    c_s="$(awk '{print $1}' "$c_file" | median)"
    o_s="$(awk '{print $1}' "$o_file" | median)"
    r_rss="$(cat "$r_file" "$o_file" | awk '{print $2}' | sort -g | tail -n 1)"
    report+=("$(awk -v b="$bytes" -v e="$regx_entries" -v r="$r_s" -v c="$c_s" -v o="$o_s" -v rss="$r_rss" -v l="$label" \
        'BEGIN { printf "%-8s %6.0f MB %8d   %6.2f s %7.1f MB/s   %6.2f s %7.1f MB/s   %5.2fx   %6.2f s %5.2fx   %4.0f MiB",
                 l, b / 1e6, e, r, b / 1e6 / r, c, b / 1e6 / c, c / r, o, c / o, rss / 1024 }')")
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$registry" ]; then
    host="$registry"
    rate="as the given registry's CDN has it"
    bench_one "given"
else
    IFS=, read -r -a size_list <<<"$sizes"
    for mib in "${size_list[@]}"; do
        [[ "$mib" =~ ^[1-9][0-9]*$ ]] || { echo "ls.sh: --mib needs sizes in MiB, e.g. 1100,256" >&2; exit 2; }
        start_registry "$mib"
        bench_one "${mib}MiB"
        stop_registry
    done
fi

echo
echo "regx ls --connections $connections IMAGE 0 > /dev/null  vs  curl (token flow) | tar -tzv > /dev/null  vs  regx ls --connections 1;"
echo "median of $runs alternating runs; nginx limit_rate $rate"
echo "$(nproc) CPUs; load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after; $("$regx" --version 2>/dev/null | head -n 1)"
echo "java: $(${JAVA_HOME:+$JAVA_HOME/bin/}java -version 2>&1 | head -n 1)${REGX_JAVA_OPTS:+; REGX_JAVA_OPTS=$REGX_JAVA_OPTS}"
echo
printf '%-8s %9s %8s   %-19s   %-19s   %6s   %-15s   %s\n' layer blob entries "regx ls" "curl | tar -tzv" ratio \
    "one connection" "regx peak RSS"
for line in "${report[@]}"; do
    echo "$line"
done
