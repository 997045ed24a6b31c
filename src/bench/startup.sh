#!/usr/bin/env bash
# Start-up benchmark: regx --version, regx layers IMAGE and skopeo inspect IMAGE against a local registry,
# N runs each, interleaved, median per command and the ratio regx layers / skopeo inspect; on the default
# JDK and on every newer JDK found under /usr/lib/jvm (JAVA_HOME set per run).
#
#   src/bench/startup.sh [-n N] [--registry HOST:PORT] [--image REPO:TAG] [--regx PATH] [--no-warm]
#
# Without --registry, starts src/scripts/local-registry (token-auth registry with the fixture image) and
# stops it at exit. regx's class-data archive is created by a warm-up run per JDK (see regx.sh) unless
# --no-warm, which measures with REGX_CDS=0 instead.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
n=10
registry=
image=smoshysmosh/composer:latest
regx=$here/target/regx
warm=1
while [ $# -gt 0 ]; do
    case $1 in
        -n) n=$2; shift 2 ;;
        --registry) registry=$2; shift 2 ;;
        --image) image=$2; shift 2 ;;
        --regx) regx=$2; shift 2 ;;
        --no-warm) warm=0; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "startup.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
[ -x "$regx" ] || { echo "startup.sh: $regx not found; run mvn -DskipTests package" >&2; exit 1; }

work=$(mktemp -d)
reg_pid=
cleanup() {
    if [ -n "$reg_pid" ]; then kill "$reg_pid" 2>/dev/null || true; wait "$reg_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$registry" ]; then
    [ -x "$here/src/scripts/local-registry" ] || { echo "startup.sh: no src/scripts/local-registry; use --registry HOST:PORT" >&2; exit 1; }
    "$here/src/scripts/local-registry" --ready-file "$work/ready" >"$work/registry.log" 2>&1 &
    reg_pid=$!
    for _ in $(seq 300); do
        [ -s "$work/ready" ] && break
        kill -0 "$reg_pid" 2>/dev/null || { echo "startup.sh: local-registry exited:" >&2; cat "$work/registry.log" >&2; exit 1; }
        sleep 0.1
    done
    [ -s "$work/ready" ] || { echo "startup.sh: local-registry not ready after 30 s" >&2; exit 1; }
    read -r host port < "$work/ready"
    registry=$host:$port
fi
ref=$registry/$image

# The registry's token server is a JVM of its own: a fresh one answers its first requests slowly, and that time
# would be added to regx and skopeo alike, flattering the ratio. Warm it (and the registry) first.
for _ in $(seq 200); do skopeo inspect --tls-verify=false "docker://$ref" >/dev/null 2>&1 || true; done

# The cache of archives is private to the benchmark, so it starts cold and leaves ~/.cache alone.
export XDG_CACHE_HOME=$work/cache

# Sets $us to the time in microseconds. Bash 5's clock costs no process: a `date` (or any $(...)) at each end
# of a sample would add a millisecond or so to every command alike, which flatters the ratio of the slower one.
clock() {
    if [ -n "${EPOCHREALTIME:-}" ]; then
        us=${EPOCHREALTIME/[.,]/}
        us=$((10#$us))
    else
        us=$(($(date +%s%N) / 1000))
    fi
}
# median of microsecond values on stdin, printed in ms with one decimal
median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m / 1000}'; }

# run_set LABEL... : times each command (given as names of bash arrays) n times, interleaved
bench_one() {   # $1 = name of array holding the command; appends one sample to $work/$1
    local -n cmd=$1
    local t0 us
    clock
    t0=$us
    if ! "${cmd[@]}" >/dev/null 2>"$work/err"; then echo "FAILED" >> "$work/$1.fail"; fi
    clock
    echo $((us - t0)) >> "$work/$1"
}

jdks=("")   # "" = default java (JAVA_HOME as given, else PATH)
orig_java_home=${JAVA_HOME:-}
if [ -n "$orig_java_home" ]; then default_java=$orig_java_home/bin/java; else default_java=$(readlink -f "$(command -v java)"); fi
default_major=$("$default_java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/java" ] && [ ! -L "$d" ] || continue
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release" 2>/dev/null)
    [ -n "$v" ] && [ "$v" -gt "$default_major" ] && jdks+=("$d")
done

skopeo_cmd=(skopeo inspect --tls-verify=false "docker://$ref")
printf 'registry %s, image %s, %d runs each (median)\n\n' "$registry" "$image" "$n"
printf '%-34s %12s %14s %14s %10s\n' "JDK" "--version" "layers" "skopeo" "ratio"
for jh in "${jdks[@]}"; do
    if [ -n "$jh" ]; then export JAVA_HOME=$jh; name=$(basename "$jh"); else name="default ($default_major)"; fi
    [ -n "$jh" ] || [ -z "$orig_java_home" ] || export JAVA_HOME=$orig_java_home
    if [ $warm = 1 ]; then
        unset REGX_CDS
        # The first run of a group of commands starts building its archive in the background (see regx.sh;
        # on JDK 24+ a loopback registry's `layers` has a cache of its own, without TLS): wait for the builders.
        cache=${XDG_CACHE_HOME:-$HOME/.cache}/regx
        for warm_cmd in --version layers; do
            if [ $warm_cmd = layers ]; then "$regx" layers "$ref" >/dev/null 2>&1 || true; else "$regx" --version >/dev/null 2>&1 || true; fi
            sleep 0.5
            for _ in $(seq 120); do
                [ -n "$(find "$cache" -type d -name 'regx-*.lock' 2>/dev/null)" ] || break
                sleep 0.5
            done
        done
        "$regx" layers "$ref" >/dev/null 2>&1 || true
    else
        export REGX_CDS=0
    fi
    ver_cmd=("$regx" --version)
    layers_cmd=("$regx" layers "$ref")
    rm -f "$work"/ver_cmd* "$work"/layers_cmd* "$work"/skopeo_cmd*
    for _ in 1 2; do bench_one ver_cmd; bench_one layers_cmd; bench_one skopeo_cmd; done   # warm-up
    rm -f "$work"/ver_cmd* "$work"/layers_cmd* "$work"/skopeo_cmd*
    for _ in $(seq "$n"); do bench_one ver_cmd; bench_one layers_cmd; bench_one skopeo_cmd; done
    v=$(median < "$work/ver_cmd"); l=$(median < "$work/layers_cmd"); s=$(median < "$work/skopeo_cmd")
    note=
    [ -e "$work/layers_cmd.fail" ] && note=" (layers FAILED $(wc -l < "$work/layers_cmd.fail")x)"
    [ -e "$work/skopeo_cmd.fail" ] && note="$note (skopeo FAILED)"
    printf '%-34s %9s ms %11s ms %11s ms %9sx%s\n' "$name" "$v" "$l" "$s" \
        "$(awk -v l="$l" -v s="$s" 'BEGIN {printf "%.2f", l / s}')" "$note"
    unset JAVA_HOME
done
