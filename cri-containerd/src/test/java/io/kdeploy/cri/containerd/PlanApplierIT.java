package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.RuntimeRejectedConfigException;
import io.kdeploy.core.plan.ApplyResult;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.CommandRunner;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.InstallRecords;
import io.kdeploy.core.plan.PlanApplier;
import io.kdeploy.core.spi.PlanContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configurer's plans applied by core's {@link PlanApplier} to a host root in a temporary directory, with the plan's
 * validation command run by the real containerd (node paths mapped into the host root): accepted outputs are written and
 * recorded, a config containerd rejects is rolled back (exit 4), and cleanup through the record gives back the input.
 */
class PlanApplierIT {
    private static final String INSTANCE = "default";
    private final ContainerdConfigurator configurator = new ContainerdConfigurator();
    private final List<List<String>> ran = new ArrayList<>();

    @Test
    void installValidatedByRealContainerdAndCleanupRestoresTheHost(@TempDir Path dir) throws IOException {
        GoldenCase c = GoldenCase.load("containerd-1.6-user-settings-debug");
        HostRoot host = host(dir, c.input());
        PlanApplier applier = PlanApplier.builder(host).commandRunner(mapped(host)).build();

        ApplyResult installed = applier.planAndApply(INSTANCE, h -> configurator.plan(context(h, c.spec(), c.runtime())));
        assertThat(ran).singleElement().satisfies(argv -> assertThat(argv).endsWith("config", "dump"));
        assertThat(installed.changedPaths()).containsExactly(ContainerdPaths.CONTAINERD_MAIN);
        assertThat(Files.readAllBytes(host.resolve(ContainerdPaths.CONTAINERD_MAIN)))
                .isEqualTo(c.expected().get(ContainerdPaths.CONTAINERD_MAIN).toArray());

        ApplyResult again = applier.planAndApply(INSTANCE, h -> configurator.plan(context(h, c.spec(), c.runtime())));
        assertThat(again.changedPaths()).isEmpty();

        applier.planAndApply(INSTANCE, h -> configurator.planRevert(context(h, c.spec(), c.runtime())));
        assertThat(Files.readAllBytes(host.resolve(ContainerdPaths.CONTAINERD_MAIN)))
                .isEqualTo(c.input().get(ContainerdPaths.CONTAINERD_MAIN).toArray());
    }

    @Test
    void configRejectedByRealContainerdIsRolledBack(@TempDir Path dir) throws IOException {
        Bytes broken = Bytes.utf8("version = 2\noom_score = \"high\"\n");
        HostRoot host = host(dir, Map.of(ContainerdPaths.CONTAINERD_MAIN, broken));
        PlanApplier applier = PlanApplier.builder(host).commandRunner(mapped(host)).build();
        DeploySpec spec = DeploySpec.of("qemu");
        RuntimeInfo runtime = RuntimeInfo.parse("containerd://1.6.20");

        assertThatThrownBy(() -> applier.planAndApply(INSTANCE, h -> configurator.plan(context(h, spec, runtime))))
                .isInstanceOf(RuntimeRejectedConfigException.class)
                .satisfies(e -> assertThat(((RuntimeRejectedConfigException) e).exitCode()).isEqualTo(4))
                .satisfies(e -> assertThat(((RuntimeRejectedConfigException) e).runtimeOutput())
                        .contains("Can't convert high(string) to int"));
        assertThat(Files.readAllBytes(host.resolve(ContainerdPaths.CONTAINERD_MAIN))).isEqualTo(broken.toArray());
        assertThat(InstallRecords.read(host, INSTANCE)).isEmpty();
    }

    private static PlanContext context(HostRoot h, DeploySpec spec, RuntimeInfo runtime) {
        return new PlanContext(h, spec, runtime, InstallRecords.baselinesFor(h, INSTANCE), false);
    }

    /** A host root with these files and a placeholder for {@code /usr/bin/containerd} (so the plan validates). */
    private static HostRoot host(Path dir, Map<String, Bytes> files) throws IOException {
        ContainerdBinary.require();
        Map<String, Bytes> all = new TreeMap<>(files);
        all.put("/usr/bin/containerd", Bytes.utf8(""));
        for (Map.Entry<String, Bytes> e : all.entrySet()) {
            Path p = dir.resolve(e.getKey().substring(1));
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue().toArray());
        }
        return HostRoot.of(dir);
    }

    /** Runs the validation command with this machine's containerd and the config path resolved under the host root. */
    private CommandRunner mapped(HostRoot host) {
        return argv -> {
            ran.add(argv);
            List<String> real = new ArrayList<>(argv);
            real.set(0, ContainerdBinary.require().toString());
            int config = real.indexOf("--config");
            real.set(config + 1, host.resolve(real.get(config + 1)).toString());
            return CommandRunner.processes().run(real);
        };
    }
}
