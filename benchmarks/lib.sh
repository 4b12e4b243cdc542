# Shared pieces of the whole-command benchmarks (sourced by artifacts-bench.sh and bench.sh from the repository root).
JAVA=${JAVA:-java}
# The launcher's flags (./kdeploy): C1 only, serial GC, the JDK's class-data sharing archive.
JOPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)
# The node agent image's JIT flags (src/deploy/Dockerfile; the image's -XX:MaxRAM=256m -Xss512k are not applied here):
# C2 for the SHA-256 digest only (src/deploy/jit-directives.json).
AGENT_JOPTS=(-XX:+UseSerialGC -Xshare:auto -XX:+UnlockDiagnosticVMOptions
  "-XX:CompilerDirectivesFile=$PWD/src/deploy/jit-directives.json" -XX:+DisplayVMOutputToStderr)

# The benchmarks jar and its run-time class path (jars, not class directories: class-data sharing archives only jars).
kd_classpath() {
  local work=$1
  # -am: the reactor's own poms, not whatever an earlier `mvn install` left in ~/.m2 (benchmarks is the last module)
  mvn -q -o -B -T1 -pl benchmarks -am dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
  local cp="$PWD/benchmarks/target/kdeploy-benchmarks-0.1.0-SNAPSHOT.jar"
  for m in core; do cp="$cp:$PWD/$m/target/kdeploy-$m-0.1.0-SNAPSHOT.jar"; done
  echo "$cp:$(tr ':' '\n' < "$work/cp.txt" | grep -v -e '/kdeploy-' -e '/target/classes' | paste -sd:)"
}

# A generated Kata tree of ~300 MB: a few large files (qemu, kernel, image, shims) and 2,000 small ones.
make_tree() {
  local src=$1
  [ -d "$src" ] && return 0
  mkdir -p "$src/bin" "$src/runtime-rs/bin" "$src/share/kata-containers" "$src/share/defaults/kata-containers"
  head -c 60000000 /dev/urandom > "$src/bin/qemu-system-x86_64"
  head -c 40000000 /dev/urandom > "$src/share/kata-containers/vmlinux-6.12.28-153"
  head -c 150000000 /dev/urandom > "$src/share/kata-containers/kata-ubuntu-noble.image"
  ln -s vmlinux-6.12.28-153 "$src/share/kata-containers/vmlinux.container"
  head -c 30000000 /dev/urandom > "$src/bin/containerd-shim-kata-v2"
  head -c 20000000 /dev/urandom > "$src/runtime-rs/bin/containerd-shim-kata-v2"
  chmod 0755 "$src"/bin/* "$src"/runtime-rs/bin/*
  for d in $(seq 1 40); do
    mkdir -p "$src/share/kata-qemu/qemu/d$d"
    for f in $(seq 1 50); do head -c 4096 /dev/urandom > "$src/share/kata-qemu/qemu/d$d/f$f.bin"; done
  done
  cp src/corpus/kata-config/default-qemu/input.toml "$src/share/defaults/kata-containers/configuration-qemu.toml"
}

# A trivial hello-world class in $1 (the JVM's own floor, jvm0).
make_hello() {
  cat > "$1/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
  javac -d "$1" "$1/Hello.java"
}

now() { date +%s.%N; }
# Wall time of one run of a command, in seconds (after a sync, so earlier writes do not land on it).
timeit() { local t0 t1; sync; t0=$(now); "$@" >/dev/null; t1=$(now); echo "$t1 - $t0" | bc -l; }
# The median wall time of five runs (one slow or fast outlier on either side does not move it).
median5() { local i; for i in 1 2 3 4 5; do timeit "$@"; done | sort -g | sed -n 3p; }
