#!/usr/bin/env bash
# Where google-http-client's one-time set-up goes in a cold JVM: runs src/bench/HttpClientSetUp.java N times
# (default 21) against a loopback socket it serves itself, each run a fresh JVM, and prints the median
# microseconds of each step (java.util.logging, NetHttpTransport, the reflective HttpHeaders with its
# annotation proxies, an HttpRequest with OpenCensus's tracer, the first request), then the same request through
# HttpURLConnection alone. No class-data archive of regx's (the JDK's default one is used), so the figures are
# an upper bound of what a regx run with its archives pays.
#
#   src/bench/http-client-setup.sh [N]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-21}
jar=$here/target/regx.jar
[ -f "$jar" ] || { echo "http-client-setup.sh: $jar not found; run mvn -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -d "$work" -cp "$jar" "$here/src/bench/HttpClientSetUp.java"
for _ in $(seq "$n"); do
    java -XX:TieredStopAtLevel=1 -cp "$jar:$work" HttpClientSetUp >> "$work/google.txt"
    java -XX:TieredStopAtLevel=1 -cp "$jar:$work" HttpClientSetUp jdk >> "$work/jdk.txt"
done
python3 - "$work/google.txt" "$work/jdk.txt" <<'PY'
import statistics, sys
for path in sys.argv[1:]:
    steps = {}
    for line in open(path):
        for field in line.split():
            name, micros = field.split("=")
            steps.setdefault(name, []).append(int(micros))
    total = 0
    for name, values in steps.items():
        m = statistics.median(values)
        total += m
        print(f"{m / 1000:8.1f} ms  {name}")
    print(f"{total / 1000:8.1f} ms  total (sum of medians, {len(next(iter(steps.values())))} runs)\n")
PY
