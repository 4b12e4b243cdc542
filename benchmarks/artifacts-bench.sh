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
. benchmarks/lib.sh

mvn -q -o -B -T1 -pl benchmarks -am package -Dmaven.test.skip=true
CP=$(kd_classpath "$WORK")
SRC="$WORK/src"
make_tree "$SRC"
echo "tree: $(du -sh "$SRC" | cut -f1), $(find "$SRC" -type f | wc -l) files"
make_hello "$WORK"

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
