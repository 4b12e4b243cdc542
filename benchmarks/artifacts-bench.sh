#!/usr/bin/env bash
# Whole-command benchmark of the artifact installer (issue 7), one run each, as ratios:
#   fresh install            / (jvm0 + cp -a)     target <= 1.5
#   re-install, no change    / (jvm0 + rsync -a)  target <= 3.0
# jvm0 = wall time of a trivial `java` hello-world (the JVM's own floor). The tree: a few large files (kernel, image,
# qemu) plus ~2,000 small ones, ~250 MB. Usage: benchmarks/artifacts-bench.sh [work-dir]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-$(mktemp -d /tmp/kdeploy-bench.XXXXXX)}
mkdir -p "$WORK"
JAVA=${JAVA:-java}

# Jars, not class directories: class-data sharing archives only classes from jars.
mvn -q -o -B -T1 -pl benchmarks -am package -Dmaven.test.skip=true
mvn -q -o -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$PWD/benchmarks/target/kdeploy-benchmarks-0.1.0-SNAPSHOT.jar:$PWD/core/target/kdeploy-core-0.1.0-SNAPSHOT.jar"
CP="$CP:$(tr ':' '\n' < "$WORK/cp.txt" | grep -v '/kdeploy-core-' | paste -sd:)"
JOPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)

SRC="$WORK/src"
if [ ! -d "$SRC" ]; then
  mkdir -p "$SRC/bin" "$SRC/runtime-rs/bin" "$SRC/share/kata-containers" "$SRC/share/defaults/kata-containers"
  head -c 60000000 /dev/urandom > "$SRC/bin/qemu-system-x86_64"
  head -c 40000000 /dev/urandom > "$SRC/share/kata-containers/vmlinux-6.12.28-153"
  head -c 150000000 /dev/urandom > "$SRC/share/kata-containers/kata-ubuntu-noble.image"
  ln -s vmlinux-6.12.28-153 "$SRC/share/kata-containers/vmlinux.container"
  head -c 30000000 /dev/urandom > "$SRC/bin/containerd-shim-kata-v2"
  head -c 20000000 /dev/urandom > "$SRC/runtime-rs/bin/containerd-shim-kata-v2"
  chmod 0755 "$SRC"/bin/* "$SRC"/runtime-rs/bin/*
  for d in $(seq 1 40); do
    mkdir -p "$SRC/share/kata-qemu/qemu/d$d"
    for f in $(seq 1 50); do head -c 4096 /dev/urandom > "$SRC/share/kata-qemu/qemu/d$d/f$f.bin"; done
  done
  cp src/corpus/kata-config/default-qemu/input.toml "$SRC/share/defaults/kata-containers/configuration-qemu.toml"
fi
echo "tree: $(du -sh "$SRC" | cut -f1), $(find "$SRC" -type f | wc -l) files"

cat > "$WORK/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac -d "$WORK" "$WORK/Hello.java"

now() { date +%s.%N; }
timeit() { local t0 t1; sync; t0=$(now); "$@" >/dev/null; t1=$(now); echo "$t1 - $t0" | bc -l; }

# Class-data sharing archive of the installer's classes (one training run), as a node agent image would ship it.
rm -rf "$WORK/cds-host" && mkdir -p "$WORK/cds-host"
"$JAVA" "${JOPTS[@]}" -XX:ArchiveClassesAtExit="$WORK/app.jsa" -cp "$CP" io.kdeploy.benchmarks.ArtifactInstall "$SRC" "$WORK/cds-host" >/dev/null 2>&1
"$JAVA" "${JOPTS[@]}" -XX:SharedArchiveFile="$WORK/app.jsa" -cp "$CP" io.kdeploy.benchmarks.ArtifactInstall "$SRC" "$WORK/cds-host" >/dev/null 2>&1
KD=("$JAVA" "${JOPTS[@]}" -XX:SharedArchiveFile="$WORK/app.jsa" -cp "$CP" io.kdeploy.benchmarks.ArtifactInstall)

jvm0=$(timeit "$JAVA" "${JOPTS[@]}" -cp "$WORK" Hello)
rm -rf "$WORK/cp-dst"; cpa=$(timeit cp -a "$SRC" "$WORK/cp-dst")
rm -rf "$WORK/host" && mkdir -p "$WORK/host"
fresh=$(timeit "${KD[@]}" "$SRC" "$WORK/host")
again=$(timeit "${KD[@]}" "$SRC" "$WORK/host")
verify=$(timeit "${KD[@]}" "$SRC" "$WORK/host" --verify)
if command -v rsync >/dev/null; then
  rsync -a "$SRC/" "$WORK/rsync-dst/"
  rsy=$(timeit rsync -a "$SRC/" "$WORK/rsync-dst/")
else
  rsy=""
fi

printf 'jvm0 %.3f s | cp -a %.3f s | rsync -a (unchanged) %s s\n' "$jvm0" "$cpa" "${rsy:-n/a}"
printf 'kdeploy fresh %.3f s | re-install %.3f s | re-install --verify %.3f s\n' "$fresh" "$again" "$verify"
printf 'fresh / (jvm0 + cp -a) = %.2f (target <= 1.5)\n' "$(echo "$fresh / ($jvm0 + $cpa)" | bc -l)"
if [ -n "$rsy" ]; then
  printf 're-install / (jvm0 + rsync -a) = %.2f (target <= 3.0)\n' "$(echo "$again / ($jvm0 + $rsy)" | bc -l)"
else
  echo "re-install / (jvm0 + rsync -a): rsync not installed"
fi
