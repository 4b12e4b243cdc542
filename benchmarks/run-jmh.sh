#!/usr/bin/env bash
# Builds the JMH uber-jar and runs the benchmarks briefly (1 fork, 2 warm-up + 3 measurement iterations of 1 s).
# Extra arguments go to JMH, e.g. ./run-jmh.sh -prof gc
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -T1 -Pjmh -pl benchmarks -am package -DskipTests
exec java -jar benchmarks/target/benchmarks.jar -f 1 -wi 2 -i 3 -w 1s -r 1s "$@"
