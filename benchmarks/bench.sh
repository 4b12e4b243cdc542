#!/usr/bin/env bash
# All of kdeploy's benchmarks in one run, printed as one table (issue 10). From the repository root:
#   benchmarks/bench.sh [work-dir]        (needs ~2.5 GB free in work-dir; takes 3-5 minutes)
#   BENCH_ONLY=commands benchmarks/bench.sh [work-dir]   whole commands only (no memory, no JMH; about a minute)
# Whole commands are given as ratios to their floors; a fresh install and cp -a are timed once (each into a new directory),
# everything else is the median of five runs:
#   jvm0  = a trivial `java` hello-world with the same flags (the JVM's own start-up)
#   fresh install        / (jvm0 + cp -a)      target <= 1.5; also given to jvm0 + `cp -a && sync -f`, a copy that is
#                                              durable when it ends, as the install's is (DESIGN.md §1, step 7)
#   unchanged re-install / (jvm0 + rsync -a)   target <= 3.0
#   kdeploy --version    / jvm0                target <= 5, without and with an AppCDS archive
# Both install ratios are also given with the node agent image's JIT flags (AGENT_JOPTS in lib.sh: C2 for the SHA-256 digest
# only), which the agent, where fresh installs happen, runs with; the agent's idle RSS is measured with them too.
# "install" is `kdeploy install --offline --no-restart` (artifacts + containerd 1.7 config) on a host root. JMH: 1 fork on the serial collector, 3 × 1 s warm-up, 5 × 1 s measurement.
# Memory, all with the flags above: the node agent (`kdeploy install` with a cluster: fabric8's mock API server, a host root, a
# fake systemctl; io.kdeploy.benchmarks.AgentIdleRss) idle after its install with -Xmx32m (VmRSS and VmHWM); peak RSS (GNU time)
# of `kdeploy decide` with -Xmx32m and of a 1 GB artifact install with -Xmx64m.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-$(mktemp -d /tmp/kdeploy-bench.XXXXXX)}
mkdir -p "$WORK"
. benchmarks/lib.sh

command -v rsync >/dev/null || apt-get install -y rsync >/dev/null
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null

echo "building..." >&2
if [ "${BENCH_ONLY:-}" = commands ]; then
  mvn -q -o -B -T1 -pl cli -am package -Dmaven.test.skip=true
else
  mvn -q -o -B -T1 -Pjmh -pl benchmarks,cli -am package -Dmaven.test.skip=true
fi
CLI="$PWD/cli/target/kdeploy-cli-0.1.0-SNAPSHOT-all.jar"
SRC="$WORK/src"
echo "generating the tree..." >&2
make_tree "$SRC"
make_hello "$WORK"
CONFIG=src/corpus/toml/containerd16-default-two-handlers/input.toml
install_args() { echo "--offline --no-restart --runtime-version containerd://1.7.27 --shims qemu --artifacts $1 --host-root $2"; }
fresh_host() { mkdir -p "$1/etc/containerd" && cp "$CONFIG" "$1/etc/containerd/config.toml"; }
# Nothing is deleted before a timed copy, and every timed copy goes to a new directory: on ext4 without a journal (this
# machine's root file system) a create skips the inodes freed in the last 30 s (recently_deleted()), so a copy made right
# after removing a 2,000-file tree spends ~0.7 ms in each create. Everything made here is removed at the end.
RUN=$(date +%s%N)

echo "timing whole commands..." >&2
# A static AppCDS archive of the classes one training install loads, as a node image would ship it (static, not
# -XX:ArchiveClassesAtExit: only a static archive takes picocli's class-file version 49 classes on JDK 17).
fresh_host "$WORK/cds-host-$RUN"
"$JAVA" "${JOPTS[@]}" -XX:DumpLoadedClassList="$WORK/install.classlist" -jar "$CLI" install $(install_args "$SRC" "$WORK/cds-host-$RUN") >/dev/null 2>&1
"$JAVA" "${JOPTS[@]}" -Xshare:dump -XX:SharedClassListFile="$WORK/install.classlist" -XX:SharedArchiveFile="$WORK/install.jsa" -Xlog:cds=off -jar "$CLI" >/dev/null 2>&1
KD=("$JAVA" "${JOPTS[@]}" -XX:SharedArchiveFile="$WORK/install.jsa" -jar "$CLI" install)
KDA=("$JAVA" "${AGENT_JOPTS[@]}" -XX:SharedArchiveFile="$WORK/install.jsa" -jar "$CLI" install)

jvm0=$(median5 "$JAVA" "${JOPTS[@]}" -cp "$WORK" Hello)
cpa=$(timeit cp -a "$SRC" "$WORK/cp-dst-$RUN")
cps=$(timeit sh -c 'cp -a "$1" "$2" && sync -f "$2"' sh "$SRC" "$WORK/cps-dst-$RUN")
rsync -a "$SRC/" "$WORK/rsync-dst-$RUN/"; rsy=$(median5 rsync -a "$SRC/" "$WORK/rsync-dst-$RUN/")
fresh_host "$WORK/host-$RUN"
fresh=$(timeit "${KD[@]}" $(install_args "$SRC" "$WORK/host-$RUN"))
again=$(median5 "${KD[@]}" $(install_args "$SRC" "$WORK/host-$RUN"))
# the same with the agent image's flags, into a host root of its own
jvm0a=$(median5 "$JAVA" "${AGENT_JOPTS[@]}" -cp "$WORK" Hello)
fresh_host "$WORK/host-agent-$RUN"
fresha=$(timeit "${KDA[@]}" $(install_args "$SRC" "$WORK/host-agent-$RUN"))
againa=$(median5 "${KDA[@]}" $(install_args "$SRC" "$WORK/host-agent-$RUN"))
ver=$(median5 "$JAVA" "${JOPTS[@]}" -jar "$CLI" --version)
vercds=$(median5 "$JAVA" "${JOPTS[@]}" -XX:SharedArchiveFile="$WORK/install.jsa" -jar "$CLI" --version)
rm -rf "$WORK/host-$RUN" "$WORK/host-agent-$RUN" "$WORK/cds-host-$RUN" "$WORK/cp-dst-$RUN" "$WORK/cps-dst-$RUN" "$WORK/rsync-dst-$RUN"

r() { echo "$1" | bc -l; }
if [ "${BENCH_ONLY:-}" = commands ]; then
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg); jvm0 $jvm0 s, cp -a $cpa s, cp -a + sync -f $cps s, rsync -a $rsy s"
  echo "fresh install $fresh s, ratio $(printf '%.2f' "$(r "$fresh / ($jvm0 + $cpa)")") (to a durable copy $(printf '%.2f' "$(r "$fresh / ($jvm0 + $cps)")"))"
  echo "unchanged re-install $again s, ratio $(printf '%.2f' "$(r "$again / ($jvm0 + $rsy)")")"
  echo "agent image flags: jvm0 $jvm0a s; fresh install $fresha s, ratio $(printf '%.2f' "$(r "$fresha / ($jvm0a + $cpa)")") (to a durable copy $(printf '%.2f' "$(r "$fresha / ($jvm0a + $cps)")")); unchanged re-install $againa s, ratio $(printf '%.2f' "$(r "$againa / ($jvm0a + $rsy)")")"
  echo "--version $ver s / AppCDS $vercds s"
  exit 0
fi

echo "memory..." >&2
# The agent's idle RSS; AgentIdleRss exits non-zero (and prints the agent's log) when the agent is never ready, exits early,
# or does not exit 0 after SIGTERM and its full cleanup.
agent_failed=; agent_detail=
if agent_out=$("$JAVA" -cp benchmarks/target/benchmarks.jar io.kdeploy.benchmarks.AgentIdleRss --jar "$CLI" --corpus src/corpus \
    --work "$WORK/agent" -- "${AGENT_JOPTS[@]}" -Xmx32m -Djava.util.logging.manager=io.kdeploy.cli.host.ShutdownSafeLogManager); then
  agent_rss=$(echo "$agent_out" | sed -n 's/^agent idle RSS[^:]*: \([0-9]*\) KiB (peak \([0-9]*\) KiB)$/\1 KiB, peak \2 KiB/p')
  agent_detail=$(echo "$agent_out" | grep '^agent:')
else
  agent_failed=yes; agent_rss=FAILED
fi
rm -rf "$WORK/agent"
rss() { /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >/dev/null 2>"$WORK/rss.err" && cat "$WORK/rss" || { cat "$WORK/rss.err" >&2; echo failed; }; }
decide_rss=$(rss "$JAVA" "${JOPTS[@]}" -Xmx32m -jar "$CLI" decide --daemonsets src/corpus/cluster/daemonsets-multi.json \
  --node src/corpus/cluster/node-worker-1-multi.json --namespace kube-system --daemonset-name kata-deploy)
BIG="$WORK/big"
if [ ! -d "$BIG" ]; then
  mkdir -p "$BIG/bin" "$BIG/share/kata-containers" "$BIG/share/defaults/kata-containers"
  head -c 30000000 /dev/urandom > "$BIG/bin/containerd-shim-kata-v2"
  for i in 1 2 3 4; do head -c 250000000 /dev/urandom > "$BIG/share/kata-containers/image-$i.img"; done
  cp src/corpus/kata-config/default-qemu/input.toml "$BIG/share/defaults/kata-containers/configuration-qemu.toml"
fi
rm -rf "$WORK/big-host"; fresh_host "$WORK/big-host"
t0=$(now)
big_rss=$(rss "$JAVA" "${JOPTS[@]}" -Xmx64m -jar "$CLI" install $(install_args "$BIG" "$WORK/big-host"))
big_t=$(echo "$(now) - $t0" | bc -l)
big_ok=$(cmp -s "$BIG/share/kata-containers/image-4.img" "$WORK/big-host/opt/kata/share/kata-containers/image-4.img" && echo yes || echo NO)
rm -rf "$WORK/big-host"

echo "JMH..." >&2
"$JAVA" -jar benchmarks/target/benchmarks.jar -f 1 -wi 3 -i 5 -w 1s -r 1s -rf csv -rff "$WORK/jmh.csv" >"$WORK/jmh.log" 2>&1
# score ± error of one benchmark (and one value of its @Param, when it has one)
jmh() { awk -F, -v b="\"io.kdeploy.benchmarks.$1\"" -v p="${2:-}" '$1 == b && (p == "" || $8 == p) { printf "%.0f ± %.0f", $5, $6 }' "$WORK/jmh.csv"; }

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg) (at end)"
echo "java: $("$JAVA" -version 2>&1 | head -1); flags: ${JOPTS[*]}; agent image flags: ${AGENT_JOPTS[*]}"
echo "tree: $(du -sh "$SRC" | cut -f1), $(find "$SRC" -type f | wc -l) files"
printf '\n| %-52s | %12s | %8s | %-8s |\n' "measure" "value" "ratio" "target"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..54})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..10})"
row() { printf '| %-52s | %12s | %8s | %-8s |\n' "$1" "$2" "$3" "$4"; }
row "jvm0 (java Hello, median of 5)" "$(printf '%.3f s' "$jvm0")" "" ""
row "cp -a of the tree" "$(printf '%.3f s' "$cpa")" "" ""
row "cp -a + sync -f (a durable copy)" "$(printf '%.3f s' "$cps")" "" ""
row "rsync -a, nothing changed (median of 5)" "$(printf '%.3f s' "$rsy")" "" ""
row "fresh install (AppCDS)" "$(printf '%.3f s' "$fresh")" "$(printf '%.2f' "$(r "$fresh / ($jvm0 + $cpa)")")" "<= 1.5"
row "  the same, to jvm0 + the durable copy" "" "$(printf '%.2f' "$(r "$fresh / ($jvm0 + $cps)")")" ""
row "unchanged re-install (AppCDS, median of 5)" "$(printf '%.3f s' "$again")" "$(printf '%.2f' "$(r "$again / ($jvm0 + $rsy)")")" "<= 3.0"
row "jvm0, agent image flags (median of 5)" "$(printf '%.3f s' "$jvm0a")" "" ""
row "fresh install, agent image flags (AppCDS)" "$(printf '%.3f s' "$fresha")" "$(printf '%.2f' "$(r "$fresha / ($jvm0a + $cpa)")")" "<= 1.5"
row "  the same, to jvm0 + the durable copy" "" "$(printf '%.2f' "$(r "$fresha / ($jvm0a + $cps)")")" ""
row "unchanged re-install, agent flags (median of 5)" "$(printf '%.3f s' "$againa")" "$(printf '%.2f' "$(r "$againa / ($jvm0a + $rsy)")")" "<= 3.0"
row "kdeploy --version, no AppCDS (median of 5)" "$(printf '%.3f s' "$ver")" "$(printf '%.2f' "$(r "$ver / $jvm0")")" "<= 5"
row "kdeploy --version, AppCDS (median of 5)" "$(printf '%.3f s' "$vercds")" "$(printf '%.2f' "$(r "$vercds / $jvm0")")" "<= 5"
row "JMH parse+plan+render, new text (ops/s)" "$(jmh TomlPlanBenchmark.parsePlanRender)" "" ">= 20000"
row "JMH plan+render, same text (ops/s)" "$(jmh TomlPlanBenchmark.parsePlanRenderSameText)" "" ""
row "JMH tomlj parse only (ops/s)" "$(jmh TomlPlanBenchmark.parseOnly)" "" ""
for sc in $(awk -F, 'NR > 1 && $8 ~ /[a-z]/ { print $8 }' "$WORK/jmh.csv" | sort -u); do
  row "JMH cleanup decision node-aware, $sc (ops/s)" "$(jmh CleanupDecisionBenchmark.nodeAware "$sc")" "" ">= 100000"
  row "JMH cleanup decision three-stage, $sc (ops/s)" "$(jmh CleanupDecisionBenchmark.threeStage "$sc")" "" ">= 100000"
done
row "node agent idle after install -Xmx32m: RSS, peak" "$agent_rss" "" ""
row "peak RSS, kdeploy decide -Xmx32m" "${decide_rss} KiB" "" ""
row "1 GB install -Xmx64m: time, peak RSS" "$(printf '%.1f s' "$big_t"), ${big_rss} KiB" "" "works"
row "1 GB install -Xmx64m: content equal" "$big_ok" "" ""
[ -n "$agent_detail" ] && echo && echo "$agent_detail"
if [ -n "$agent_failed" ]; then
  echo "the node agent measurement FAILED (see its output above)" >&2
  exit 1
fi
