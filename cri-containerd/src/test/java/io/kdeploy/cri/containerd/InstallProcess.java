package io.kdeploy.cri.containerd;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.artifacts.ArtifactSource;
import io.kdeploy.core.artifacts.InstallOptions;
import io.kdeploy.core.artifacts.KataArtifactInstaller;
import io.kdeploy.core.artifacts.ProgressListener;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.PlanApplier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The install half of {@code kdeploy install} as a child JVM for the reliability tests (real {@code flock}, real
 * {@code kill -9}): {@code InstallProcess <case> <suffix> <lock-timeout-ms> <artifacts-dir or -> [--wait-for-go]
 * <host-root>...} installs the golden case's spec with that suffix into each host root in turn (the artifacts first
 * when a source is given, then the containerd config). With {@code --wait-for-go} it prints {@code ready} and starts
 * when a line arrives on stdin, so that two children race. A kdeploy error prints its message and exits with its code.
 */
public final class InstallProcess {
    private InstallProcess() {}

    /** Runs the installs. */
    public static void main(String[] args) throws IOException {
        GoldenCase c = GoldenCase.load(args[0]);
        DeploySpec spec = c.spec().withSuffix(args[1]);
        Duration timeout = Duration.ofMillis(Long.parseLong(args[2]));
        Path artifacts = args[3].equals("-") ? null : Path.of(args[3]);
        List<String> roots = new ArrayList<>(List.of(args).subList(4, args.length));
        if (!roots.isEmpty() && roots.get(0).equals("--wait-for-go")) {
            roots.remove(0);
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        try {
            for (String root : roots) {
                HostRoot host = HostRoot.of(Path.of(root));
                if (artifacts != null) {
                    installArtifacts(artifacts, spec, host.path());
                }
                HostTree.install(PlanApplier.builder(host).lockTimeout(timeout).build(), spec, c.runtime());
            }
        } catch (KdeployException e) {
            System.err.println("kdeploy: " + e.getMessage());
            System.exit(e.exitCode());
        }
    }

    /** Installs (or re-installs) the artifact tree for {@code spec} under a host root. */
    static void installArtifacts(Path source, DeploySpec spec, Path hostRoot) {
        KataArtifactInstaller installer = new KataArtifactInstaller();
        installer.apply(installer.plan(ArtifactSource.of(source), spec, hostRoot, InstallOptions.DEFAULTS), ProgressListener.NONE);
    }
}
