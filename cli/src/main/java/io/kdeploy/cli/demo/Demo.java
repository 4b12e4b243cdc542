package io.kdeploy.cli.demo;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.artifacts.ArtifactSource;
import io.kdeploy.core.artifacts.ProgressListener;
import io.kdeploy.core.artifacts.SampleBundle;
import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.DaemonSetInfo;
import io.kdeploy.core.cleanup.NodeInfo;
import io.kdeploy.core.cleanup.PodPlacement;
import io.kdeploy.core.cleanup.Self;
import io.kdeploy.core.deploy.CleanupReport;
import io.kdeploy.core.deploy.CleanupRequest;
import io.kdeploy.core.deploy.InstallReport;
import io.kdeploy.core.deploy.InstallRequest;
import io.kdeploy.core.deploy.NodeDeployment;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.spi.CleanupPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo: a containerd 1.7 node in a temporary directory (the corpus config with the platform team's comments, a pause
 * image mirror, systemd cgroups, gVisor and registry mirrors), a generated sample Kata bundle, then install, re-install,
 * the cleanup decisions of the {@code node-aware} policy for a pod restart and for an uninstall, cleanup, and the proof that
 * every file is byte-identical to the start. Each step is checked; {@link #run()} returns non-zero when a check fails.
 * Nothing outside the temporary directory is touched: restarts are recorded, not run (there is no systemd here).
 */
public final class Demo {
    static final String CONFIG = "/etc/containerd/config.toml";
    static final String LOCK = "/run/lock/kdeploy.lock";
    private static final RuntimeInfo RUNTIME = RuntimeInfo.parse("containerd://1.7.22");
    private static final int STEPS = 8;

    private final PrintWriter out;
    private final Style style;
    private final Kdeploy registry;
    private final boolean keep;
    private final List<String> failures = new ArrayList<>();
    private final List<String> restarts = new ArrayList<>();
    private int step;

    /**
     * @param out where the demo talks
     * @param terminal true on a terminal: colours and a progress line
     * @param registry the configurers and policies (the containerd configurer and {@code node-aware} are needed)
     * @param keep keep the node directory afterwards (its path is printed)
     */
    public Demo(PrintWriter out, boolean terminal, Kdeploy registry, boolean keep) {
        this.out = requireNonNull(out, "out");
        this.style = new Style(terminal);
        this.registry = requireNonNull(registry, "registry");
        this.keep = keep;
    }

    /** Runs the demo; 0 when every check passed, 1 otherwise. */
    public int run() {
        long start = System.nanoTime();
        Path dir;
        try {
            dir = Files.createTempDirectory("kdeploy-demo-");
        } catch (IOException e) {
            throw new KdeployException("cannot create a temporary directory for the demo: " + e.getMessage()
                    + ". Set java.io.tmpdir (KDEPLOY_JAVA_OPTS=-Djava.io.tmpdir=...) to a writable directory.", e);
        }
        try {
            lifeCycle(dir);
        } finally {
            if (keep) {
                out.println(style.dim("The node directory stays for you to look at: " + dir));
            } else {
                delete(dir);
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        out.println();
        if (failures.isEmpty()) {
            out.println(style.green(style.bold("Demo passed")) + " in " + millis + " ms: install, re-install, decisions,"
                    + " cleanup; the node's files are byte-identical to the start.");
        } else {
            out.println(style.red(style.bold("Demo FAILED")) + " (" + failures.size() + " check(s)): "
                    + String.join("; ", failures));
        }
        out.flush();
        return failures.isEmpty() ? 0 : 1;
    }

    private void lifeCycle(Path dir) {
        Path node = dir.resolve("node");
        out.println(style.bold("kdeploy demo") + ": the whole life cycle of a Kata install on a throw-away node directory.");
        out.println(style.dim("No systemd and no cluster here: runtime restarts are recorded, not run; cluster views are built"
                + " in memory."));

        header("A containerd 1.7 node");
        String original = resource("config.toml");
        write(node, CONFIG, original);
        String before = sha256(node, CONFIG);
        Map<String, String> treeBefore = snapshot(node, false);
        out.println("  " + node + CONFIG + ": " + original.lines().count() + " lines, with the platform team's comments,"
                + " a pause image mirror, systemd cgroups for runc, a gVisor runtime and registry mirrors.");
        out.println("  sha256 " + before);

        header("A small Kata artifact bundle");
        Path bundle = SampleBundle.writeTo(dir.resolve("kata-static"));
        out.println("  " + bundle + ": " + countFiles(bundle) + " files (placeholder shims, QEMU, kernel, image; real Kata"
                + " configurations for " + String.join(" and ", SampleBundle.SHIMS) + ").");

        DeploySpec spec = DeploySpec.of(SampleBundle.SHIMS.toArray(String[]::new));
        ProgressBar bar = new ProgressBar(out, style.terminal());
        NodeDeployment deployment = NodeDeployment.builder(node).registry(registry).restarter(restarts::add)
                .progress(bar).build();
        InstallRequest install = InstallRequest.of(spec).withRuntime(RUNTIME).withArtifacts(ArtifactSource.of(bundle));

        header("Install: kdeploy install --offline --host-root " + node.getFileName() + " --shims '"
                + String.join(" ", spec.shims()) + "' --artifacts kata-static");
        InstallReport first = deployment.install(install);
        bar.finish();
        printDiff(first.diff());
        out.println("  changed: " + changed(first.changedFiles()));
        out.println("  artifact files written: " + first.artifactFilesWritten() + "; handlers: "
                + String.join(", ", first.handlers()) + "; restart: " + (first.restarted() ? "containerd (recorded)" : "none"));
        check(first.changedFiles().contains(CONFIG), "the install changed " + CONFIG);
        check(first.artifactFilesWritten() > 0, "the install wrote the artifacts");
        check(first.restarted() && restarts.equals(List.of("containerd")), "containerd was restarted once");
        String installed = read(node, CONFIG);
        check(spec.handlers().stream().allMatch(h -> installed.contains("runtimes." + h + "]")),
                "every handler is registered in " + CONFIG);
        check(installed.contains("# internal mirror of the pause image") && installed.contains("SystemdCgroup = true"),
                "the user's comments and settings are still there");
        validateWithContainerd(node);

        header("Re-install with the same inputs");
        Map<String, String> installedTree = snapshot(node, true);
        InstallReport again = deployment.install(install);
        bar.finish();
        out.println("  changed: " + (again.changedFiles().isEmpty() ? "nothing" : again.changedFiles())
                + "; artifact files written: " + again.artifactFilesWritten() + "; restart: "
                + (again.restarted() ? "yes" : "none"));
        check(again.unchanged() && !again.restartRequired() && !again.restarted(), "nothing to do, no restart");
        check(snapshot(node, true).equals(installedTree), "no file was rewritten (contents and modification times)");

        Self self = new Self("kube-system", spec.daemonSetName(), spec.suffix());
        CleanupPolicy policy = registry.policy("node-aware");
        NodeInfo nodeInfo = new NodeInfo("demo-node", Map.of("kubernetes.io/hostname", "demo-node",
                "katacontainers.io/kata-runtime", "true", self.nodeMarkLabel(), "true"), List.of());
        DaemonSetInfo own = new DaemonSetInfo("kube-system", spec.daemonSetName(), false, PodPlacement.ANYWHERE);
        DaemonSetInfo kubeProxy = new DaemonSetInfo("kube-system", "kube-proxy", false, PodPlacement.ANYWHERE);

        header("Cleanup decision when the DaemonSet's pod restarts (rolling update)");
        CleanupDecision restart = policy.decide(ClusterView.known(List.of(kubeProxy, own), nodeInfo), self);
        printDecision(restart);
        check(restart instanceof CleanupDecision.Skip, "a pod restart is SKIP");
        Map<String, String> beforeSkip = snapshot(node, true);
        CleanupReport skipped = deployment.cleanup(CleanupRequest.of(spec, restart).withRuntime(RUNTIME));
        out.println("  cleanup with SKIP: changed " + (skipped.changedFiles().isEmpty() ? "nothing" : skipped.changedFiles()));
        check(snapshot(node, true).equals(beforeSkip) && restarts.size() == 1, "SKIP touched nothing and restarted nothing");

        header("Cleanup decision when the DaemonSet is deleted (helm uninstall)");
        DaemonSetInfo deleting = new DaemonSetInfo("kube-system", spec.daemonSetName(), true, PodPlacement.ANYWHERE);
        CleanupDecision uninstall = policy.decide(ClusterView.known(List.of(kubeProxy, deleting), nodeInfo), self);
        printDecision(uninstall);
        check(uninstall instanceof CleanupDecision.Full, "an uninstall is FULL");

        header("Cleanup (" + uninstall.name() + ")");
        CleanupReport cleaned = deployment.cleanup(CleanupRequest.of(spec, uninstall).withRuntime(RUNTIME));
        printDiff(cleaned.diff());
        out.println("  changed: " + changed(cleaned.changedFiles()));
        out.println("  artifact files removed: " + cleaned.artifactFilesRemoved() + "; restart: "
                + (cleaned.restarted() ? "containerd (recorded)" : "none"));
        check(cleaned.restarted() && restarts.size() == 2, "containerd was restarted to forget the handlers");
        check(!Files.exists(node.resolve("opt/kata")), "/opt/kata is gone");

        header("Proof: the node is as it was");
        String after = sha256(node, CONFIG);
        out.println("  sha256 before " + before);
        out.println("  sha256 after  " + after);
        check(before.equals(after), CONFIG + " is byte-identical to the start");
        Map<String, String> treeAfter = snapshot(node, false);
        treeAfter.remove(LOCK);
        check(treeAfter.equals(treeBefore), "every file under the node directory is byte-identical to the start ("
                + treeBefore.size() + (treeBefore.size() == 1 ? " file" : " files") + "; kdeploy's node lock " + LOCK
                + " stays, empty)");
        out.flush();
    }

    private static String changed(List<String> files) {
        long kata = files.stream().filter(f -> !f.equals(CONFIG)).count();
        return (files.contains(CONFIG) ? CONFIG : "") + (kata == 0 ? "" : " and " + kata + " Kata configuration file(s)");
    }

    private void header(String title) {
        step++;
        out.println();
        out.println(style.cyan(style.bold("[" + step + "/" + STEPS + "] " + title)));
        out.flush();
    }

    private void printDecision(CleanupDecision d) {
        String name = d instanceof CleanupDecision.Skip ? style.green(d.name()) : style.yellow(d.name());
        out.println("  node-aware says " + style.bold(name) + ": " + d.reason());
    }

    /** Prints the diff of the runtime's config file, and one line counting the other files the diff names. */
    private void printDiff(String diff) {
        List<String> shown = new ArrayList<>();
        int others = 0;
        boolean inConfig = false;
        for (String line : diff.lines().toList()) {
            if (line.startsWith("--- ")) {
                inConfig = false;
            } else if (line.startsWith("+++ ")) {
                inConfig = line.equals("+++ b" + CONFIG);
                if (inConfig) {
                    shown.add("--- a" + CONFIG);
                } else {
                    others++;
                }
            } else if (line.startsWith("Only in") || line.startsWith("Files ")) {
                others++;
                inConfig = false;
            }
            if (inConfig) {
                shown.add(line);
            }
        }
        printLines(shown);
        if (others > 0) {
            out.println("  " + style.dim("… and " + others + " Kata file(s) under /opt/kata (per-shim configurations, shims,"
                    + " kernel, image); 'kdeploy install --dry-run' prints them all"));
        }
    }

    private void printLines(List<String> lines) {
        for (String line : lines) {
            String shown = line;
            if (line.startsWith("+") && !line.startsWith("+++")) {
                shown = style.green(line);
            } else if (line.startsWith("-") && !line.startsWith("---")) {
                shown = style.red(line);
            } else if (line.startsWith("@@")) {
                shown = style.cyan(line);
            } else if (line.startsWith("Only in") || line.startsWith("Files ")) {
                shown = style.dim(line);
            }
            out.println("  " + shown);
        }
    }

    private void check(boolean ok, String what) {
        if (ok) {
            out.println("  " + style.green("✓") + " " + what);
        } else {
            out.println("  " + style.red("✗ " + what));
            failures.add(what);
        }
        out.flush();
    }

    /** Runs {@code containerd --config F config dump} when containerd is on the PATH; says so when it is not. */
    private void validateWithContainerd(Path node) {
        Optional<Path> containerd = onPath("containerd");
        if (containerd.isEmpty()) {
            out.println("  " + style.dim("(containerd is not on the PATH: skipping 'containerd config dump')"));
            return;
        }
        Path config = node.resolve(CONFIG.substring(1));
        try {
            Process p = new ProcessBuilder(containerd.get().toString(), "--config", config.toString(), "config", "dump")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            check(done && p.exitValue() == 0 && output.contains("kata-qemu"),
                    containerd.get() + " --config " + config + " config dump accepts the config and shows kata-qemu");
        } catch (IOException e) {
            check(false, "running " + containerd.get() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            check(false, "interrupted while running containerd");
        }
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String resource(String name) {
        try (InputStream in = Demo.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new KdeployException("the demo's " + name + " is missing from the kdeploy jar; rebuild it (mvn package).");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path root, String nodePath, String content) {
        try {
            Path p = root.resolve(nodePath.substring(1));
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path root, String nodePath) {
        try {
            return Files.readString(root.resolve(nodePath.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path root, String nodePath) {
        try {
            return Bytes.of(Files.readAllBytes(root.resolve(nodePath.substring(1)))).sha256();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long countFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Node path to content hash (or link target) of every file and symlink under {@code root}, with {@code withTimes} also
     * the modification time.
     */
    static Map<String, String> snapshot(Path root, boolean withTimes) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String node = "/" + root.relativize(p);
                if (a.isSymbolicLink()) {
                    out.put(node, "-> " + Files.readSymbolicLink(p));
                } else if (a.isRegularFile()) {
                    out.put(node, Bytes.of(Files.readAllBytes(p)).sha256() + (withTimes ? " " + a.lastModifiedTime() : ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ANSI colours on a terminal, plain text elsewhere. */
    record Style(boolean terminal) {
        String bold(String s) {
            return wrap("1", s);
        }

        String dim(String s) {
            return wrap("2", s);
        }

        String red(String s) {
            return wrap("31", s);
        }

        String green(String s) {
            return wrap("32", s);
        }

        String yellow(String s) {
            return wrap("33", s);
        }

        String cyan(String s) {
            return wrap("36", s);
        }

        private String wrap(String code, String s) {
            return terminal ? "\033[" + code + "m" + s + "\033[0m" : s;
        }
    }

    /** The artifact install's progress as one self-rewriting line on a terminal; nothing elsewhere. */
    static final class ProgressBar implements ProgressListener {
        private final PrintWriter out;
        private final boolean enabled;
        private boolean shown;

        ProgressBar(PrintWriter out, boolean enabled) {
            this.out = out;
            this.enabled = enabled;
        }

        @Override
        public void update(Progress p) {
            if (!enabled) {
                return;
            }
            int width = 30;
            int filled = p.filesTotal() == 0 ? width : (int) (width * p.filesDone() / p.filesTotal());
            out.print("\r\033[2K  [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + p.filesDone() + "/"
                    + p.filesTotal() + " " + p.path());
            out.flush();
            shown = true;
        }

        void finish() {
            if (shown) {
                out.print("\r\033[2K");
                out.flush();
                shown = false;
            }
        }
    }
}
