#!/bin/sh
# regx launcher: this script with the regx jar appended to it. Runs the jar (itself) on a JVM.
self="$0"
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
exec "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto $REGX_JAVA_OPTS -jar "$self" "$@"
