#!/usr/bin/env bash
# Save benchmark: one big layer downloaded by `regx save`, by curl (the same token flow, to a file) and by
# `skopeo copy`, against a local registry with token auth whose blob GETs redirect to nginx serving the
# registry's storage (a CDN stand-in, src/bench/cdn.sh: fast, or capped per connection with --rate). Each
# contender runs RUNS times, alternating; the median wall time gives MB/s (10^6 bytes per second), and
# /usr/bin/time gives peak RSS. regx's file is checked against the digest.
#
#   src/bench/save.sh [--mib N[,N...]] [--runs N] [--port P] [--rate R] [--connections N] [--registry HOST:PORT]
#                     [--work DIR]
#
#   --mib       size of the generated layer in MiB (compressed); a list runs one registry per size, so peak
#               RSS can be compared across sizes (default 1100,256: targets ask for >= 1 GiB and flat RSS)
#   --runs      runs per contender (default 3)
#   --port      port for the local registry (default: any free one); nginx takes the next one
#   --rate      nginx's limit_rate per response (e.g. 50m: 50 MB/s per connection, as CDNs cap one connection;
#               default: none)
#   --connections  regx's --connections for its first contender (default 4); the second is always 1, and so is
#               the pair that measures the read path alone (regx and curl to /dev/null)
#   --registry  reuse a registry already started by src/scripts/local-registry --big-layer-mib N --redirect
#               (HOST:PORT); --mib is then ignored
#   --work      where downloads go (default: a new directory under /tmp)
#
# Targets (issue 17, 1 GiB layer): regx >= 1.0x curl's throughput unthrottled, >= 3x with --rate 50m; faster
# than skopeo; peak RSS < 128 MiB and flat in layer size. Generating the layer runs at ~17 MB/s (gzip), so 1100 MiB takes about a minute before timing.
# Needs: docker-registry, nginx, curl, skopeo, python3, GNU time (/usr/bin/time; apt-get install time).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. src/bench/cdn.sh

mibs="1100,256"
runs=3
port=""
rate=0
connections=4
existing=""
contenders="regx regx1 curl skopeo regx-null curl-null"
work=""
while [ $# -gt 0 ]; do
    case "$1" in
        --mib) mibs="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --registry) existing="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "save.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

for tool in curl skopeo python3 sha256sum nginx; do
    command -v "$tool" >/dev/null || { echo "save.sh: $tool not found" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "save.sh: GNU time missing: apt-get install -y time" >&2; exit 1; }
[ -x target/regx ] || mvn -q -DskipTests package

own_work=""
if [ -z "$work" ]; then
    work=$(mktemp -d /tmp/regx-savebench.XXXXXX)
    own_work=1
fi
mkdir -p "$work"
registry_pid=""
cleanup() {
    local status=$?
    cdn_stop
    if [ -n "$registry_pid" ]; then
        kill "$registry_pid" 2>/dev/null || true
        wait "$registry_pid" 2>/dev/null || true
    fi
    rm -rf "$work"/out-* "$work"/*.part
    # A directory of our own goes after a successful run; after a failure it keeps the logs named above.
    if [ -n "$own_work" ] && [ "$status" -eq 0 ]; then
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# Starts src/scripts/local-registry with a layer of $1 MiB, its blobs redirected to nginx; sets $hostport.
start_registry() {
    local mib="$1" ready="$work/ready" cdn_port
    rm -f "$ready"
    if [ -n "$port" ]; then cdn_port=$((port + 1)); else cdn_port=$(cdn_free_port); fi
    src/scripts/local-registry --big-layer-mib "$mib" --redirect-to "http://127.0.0.1:$cdn_port/" \
        --ready-file "$ready" ${port:+--port "$port"} >"$work/registry-$mib.log" 2>&1 &
    registry_pid=$!
    echo "generating and pushing a ${mib} MiB layer (log: $work/registry-$mib.log) ..." >&2
    while [ ! -s "$ready" ]; do
        kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry-$mib.log" >&2; echo "save.sh: registry died" >&2; exit 1; }
        sleep 1
    done
    read -r host p <"$ready"
    hostport="$host:$p"
    grep '^big layer' "$work/registry-$mib.log" >&2 || true
    cdn_start "$work/nginx" "$cdn_port" "$(cdn_storage_root "$work/registry-$mib.log")" "$rate"
    echo "blobs served by nginx on 127.0.0.1:$cdn_port (limit_rate $rate)" >&2
}

stop_registry() {
    cdn_stop
    if [ -n "$registry_pid" ]; then
        kill "$registry_pid" 2>/dev/null || true
        wait "$registry_pid" 2>/dev/null || true
        registry_pid=""
    fi
}

# The curl contender, as a script so /usr/bin/time measures the whole token flow. Docker's token flow by
# hand: GET /v2/ -> 401 with the Bearer challenge -> token from the realm -> blob GET -> 307 to the blob
# server. The redirect is followed by hand: curl -L drops Authorization when the host changes, and curl >=
# 7.83 also when only the port changes, but older curls send it to the same host on another port, and the
# redirect server (like Docker Hub's CDN) answers 400 to a request that carries the registry's token.
cat >"$work/curl-flow.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
hostport="$1" repo="$2" digest="$3" out="$4"
challenge=$(curl -s -o /dev/null -D - "http://$hostport/v2/" | tr -d '\r' | sed -n 's/^[Ww][Ww][Ww]-[Aa]uthenticate: *Bearer *//p')
realm=$(sed -n 's/.*realm="\([^"]*\)".*/\1/p' <<<"$challenge")
service=$(sed -n 's/.*service="\([^"]*\)".*/\1/p' <<<"$challenge")
token=$(curl -sf -G "$realm" --data-urlencode "service=$service" --data-urlencode "scope=repository:$repo:pull" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("token") or d["access_token"])')
location=$(curl -sf -o /dev/null -w '%{redirect_url}' -H "Authorization: Bearer $token" "http://$hostport/v2/$repo/blobs/$digest")
curl -sf -o "$out" "$location"
EOF
chmod +x "$work/curl-flow.sh"

# Between contenders: write back what the last one left dirty and let the disk go quiet, so that no contender
# pays for the previous one's writeback. (Deleting a file frees its page cache; on VMs with free page reporting
# those pages go back to the host after ~2 s and the next writer to the page cache takes the faults: a plain
# `dd` of 1.1 GB varies from 0.3 to 2.5 s on this VM. Medians over several runs smooth that, not remove it.)
settle() { sync; sleep 2; }

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Runs "$@" under GNU time; appends "SECONDS KB" to $1's results file.
measure() {
    local name="$1"; shift
    /usr/bin/time -f '%e %M' -o "$work/time.$name" "$@" >/dev/null 2>"$work/stderr.$name" || {
        echo "save.sh: $name failed:" >&2; cat "$work/stderr.$name" >&2; exit 1; }
    tail -1 "$work/time.$name" >>"$work/results.$name"
}

summary=()
bench_one() {
    local label="$1" image="$hostport/bench/big:latest" repo="bench/big"
    local manifest digest size token
    token=$(curl -s -G "$(curl -s -o /dev/null -D - "http://$hostport/v2/" | tr -d '\r' |
        sed -n 's/^[Ww][Ww][Ww]-[Aa]uthenticate:.*realm="\([^"]*\)".*/\1/p')" \
        --data-urlencode "service=$(curl -s -o /dev/null -D - "http://$hostport/v2/" | tr -d '\r' | sed -n 's/.*service="\([^"]*\)".*/\1/p')" \
        --data-urlencode "scope=repository:$repo:pull" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    manifest=$(curl -sf -H "Authorization: Bearer $token" \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' \
        "http://$hostport/v2/$repo/manifests/latest")
    read -r digest size < <(python3 -c 'import json,sys; l=json.loads(sys.argv[1])["layers"][0]; print(l["digest"], l["size"])' "$manifest")
    echo "layer $digest, $size bytes ($(( size >> 20 )) MiB)" >&2
    rm -f "$work"/results.*
    # Warm the page cache with the blob so that no contender pays for the first read from disk.
    "$work/curl-flow.sh" "$hostport" "$repo" "$digest" /dev/null

    for i in $(seq 1 "$runs"); do
        # regx over --connections (default 4), then over one stream; both verify the digest before the rename.
        for c in regx regx1; do
            rm -rf "$work/out-$c"; mkdir -p "$work/out-$c"
            measure "$c" target/regx save -q --connections "$([ "$c" = regx ] && echo "$connections" || echo 1)" \
                "$image" 0 -o "$work/out-$c/"
            if [ "$i" = 1 ]; then
                actual="sha256:$(sha256sum "$work/out-$c/"* | cut -d' ' -f1)"
                [ "$actual" = "$digest" ] || { echo "save.sh: $c wrote $actual, expected $digest" >&2; exit 1; }
            fi
            rm -rf "$work/out-$c"
            settle
        done

        measure curl "$work/curl-flow.sh" "$hostport" "$repo" "$digest" "$work/out-curl"
        rm -f "$work/out-curl"
        settle

        rm -rf "$work/out-skopeo"
        measure skopeo skopeo copy -q --src-tls-verify=false "docker://$image" "dir:$work/out-skopeo"
        rm -rf "$work/out-skopeo"
        settle

        # The read path alone, no disk: one stream each, regx still hashing and verifying, curl not.
        measure regx-null target/regx save -q --connections 1 "$image" 0 -o /dev/null
        measure curl-null "$work/curl-flow.sh" "$hostport" "$repo" "$digest" /dev/null
        echo "run $i/$runs: $(for c in $contenders; do printf '%s %s  ' "$c" "$(tail -1 "$work/results.$c")"; done)(s KB)" >&2
    done

    local args=()
    for c in $contenders; do
        args+=("$c" "$(cut -d' ' -f1 "$work/results.$c" | median)" "$(cut -d' ' -f2 "$work/results.$c" | median)")
    done
    python3 - "$label" "$size" "$connections" "$rate" "${args[@]}" <<'EOF'
import sys
label, size, connections, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rest = sys.argv[5:]
t = {rest[i]: float(rest[i + 1]) for i in range(0, len(rest), 3)}
r = {rest[i]: int(rest[i + 2]) for i in range(0, len(rest), 3)}
mbs = {k: size / 1e6 / v for k, v in t.items()}
names = {"regx": f"regx save --connections {connections}", "regx1": "regx save --connections 1",
         "curl": "curl (token flow) -o FILE", "skopeo": "skopeo copy",
         "regx-null": "regx save --connections 1 -o /dev/null", "curl-null": "curl -o /dev/null"}
print(f"\n== {label}: {size} bytes, nginx limit_rate {rate}, median of runs")
print(f"{'':40} {'seconds':>8} {'MB/s':>8} {'peak RSS MiB':>13}")
for k in t:
    print(f"{names[k]:40} {t[k]:8.2f} {mbs[k]:8.1f} {r[k] / 1024:13.1f}")
print(f"regx/curl throughput {mbs['regx'] / mbs['curl']:.2f} (target >= 1.0 unthrottled, >= 3 at --rate 50m); "
      f"one stream {mbs['regx1'] / mbs['curl']:.2f}; regx/skopeo {mbs['regx'] / mbs['skopeo']:.2f}")
print(f"to /dev/null, one stream: regx/curl time {t['regx-null'] / t['curl-null']:.2f}x (target <= 1.5 unthrottled); "
      f"regx peak RSS {max(r['regx'], r['regx1'], r['regx-null']) / 1024:.0f} MiB (target < 128)")
EOF
}

if [ -n "$existing" ]; then
    hostport="$existing"
    rate="as the given registry's CDN has it"
    bench_one "$existing"
else
    IFS=, read -r -a sizes <<<"$mibs"
    for mib in "${sizes[@]}"; do
        start_registry "$mib"
        bench_one "${mib} MiB layer"
        stop_registry
    done
fi
