#!/bin/sh
# regx launcher: this script with the regx jar appended to it. Runs the jar (itself) on a JVM.
self="$0"
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
# Short commands start faster with C1 only. `save` spends seconds hashing: SHA-256 is a C2 intrinsic (SHA-NI),
# about 1.5 GB/s against 130 MB/s in C1 code, so it keeps the full tiered JIT.
tiers=-XX:TieredStopAtLevel=1
for arg in "$@"; do
    case "$arg" in
        -*) ;;
        save) tiers=; break ;;
        *) break ;;
    esac
done
exec "$java" $tiers -XX:+UseSerialGC -Xshare:auto $REGX_JAVA_OPTS -jar "$self" "$@"
