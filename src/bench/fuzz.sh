#!/usr/bin/env bash
# src/bench/fuzz.sh: runs every Jazzer fuzz target (the @FuzzTest methods of src/test/java/**/*FuzzTest.java) in
# fuzzing mode, one after the other, each for SECONDS, and prints the executions and findings of each.
#
#   src/bench/fuzz.sh [SECONDS] [TARGET...]
#
#   SECONDS   how long each target fuzzes (default 300: the issue's bar for calling a target fuzzed)
#   TARGET    Class or Class#method to fuzz (default: every target), e.g. LayerFuzzTest
#   REGX_FUZZ_TIMEOUT=N  seconds one input may take before it is a finding (default 1). Wall-clock time: at
#             nice 19 on a busy machine an input can wait longer than that for a core, and libFuzzer then
#             reports a timeout that the input, run again, does not reproduce; give such a machine more.
#
# Each run starts from the committed seeds (src/test/resources/fuzz/...) plus what earlier runs kept in
# .cifuzz-corpus/ (ignored by git), with Jazzer's hooks (sanitizers) on and a 512 MB heap, so that an input that
# needs more memory is a finding, and an input that takes longer than REGX_FUZZ_TIMEOUT too (JUnit's default
# timeout for the fuzz test, which Jazzer hands to libFuzzer as its per-input timeout; JUnit's own timeouts,
# which would apply to the whole fuzzing run, are off). A finding stops that target: Jazzer prints the stack trace and writes the
# input as crash-SHA1 into the target's inputs directory under src/test/resources (it maps the class path
# back to the source tree there, outside fuzz/); move it into src/test/resources/fuzz/... beside the seeds so
# that every `mvn verify` runs it, then fix the bug. Runs at nice 19: the machines are shared. Logs go to
# target/fuzz/TARGET.log. Exits non-zero if any target had a finding.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

seconds=${1:-300}
shift || true
case $seconds in '' | *[!0-9]*) echo "usage: src/bench/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2 ;; esac

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    while IFS= read -r file; do
        class=$(basename "$file" .java)
        while IFS= read -r method; do
            targets+=("$class#$method")
        done < <(grep -A3 '@FuzzTest' "$file" | sed -n 's/^ *void \([A-Za-z0-9_]*\)(.*/\1/p')
    done < <(find src/test/java -name '*FuzzTest.java' | sort)
fi

mkdir -p target/fuzz
mvn -B -ntp -q -DskipTests test-compile
failed=0
printf '%-60s %12s %10s  %s\n' TARGET EXECUTIONS EXEC/S RESULT
for target in "${targets[@]}"; do
    log=target/fuzz/${target//#/.}.log
    status=0
    JAZZER_FUZZ=1 nice -n 19 mvn -B -ntp -Dspotless.check.skip=true -Dsurefire.failIfNoSpecifiedTests=false \
        -Djazzer.hooks=true -Djazzer.max_duration="${seconds}s" -DargLine=-Xmx512m \
        -Djunit.jupiter.execution.timeout.mode=disabled \
        -Djunit.jupiter.execution.timeout.testtemplate.method.default="${REGX_FUZZ_TIMEOUT:-1}s" \
        -Dtest="$target" test >"$log" 2>&1 || status=$?
    # libFuzzer's last status line: "#N  DONE  cov: ... exec/s: E ..." (or the last "#N ..." line on a crash).
    last=$(grep -aE '^#[0-9]+' "$log" | tail -1 || true)
    execs=$(printf '%s' "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
    rate=$(printf '%s' "$last" | sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p')
    if [ $status -eq 0 ]; then
        result="no finding"
    else
        result="FINDING (see $log)"
        failed=1
    fi
    printf '%-60s %12s %10s  %s\n' "$target" "${execs:-?}" "${rate:-?}" "$result"
done
exit $failed
