package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.cri.containerd.CriStartupLog.CriRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end with the real daemon: containerd started on the installed config has our handlers in its CRI plugin (read
 * from the plugin's startup log line) next to the user's runtimes; started on the cleaned-up config, the handlers are gone
 * and the user's runtimes and pause image remain.
 */
class ContainerdDaemonIT {
    private final ContainerdConfigurator configurator = new ContainerdConfigurator();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"containerd-1.6-user-settings-debug", "containerd-1.6-debian-stock",
        "containerd-1.6-missing-config", "containerd-1.7-crlf-bom"})
    void criPluginLoadsHandlersAndLosesThemAfterCleanup(String name, @TempDir Path dir) throws Exception {
        GoldenCase c = GoldenCase.load(name);
        TestNode node = new TestNode(c.input());
        node.install(configurator, c.spec(), c.runtime());
        Bytes installed = node.files().get(ContainerdPaths.CONTAINERD_MAIN);
        Bytes original = c.input().getOrDefault(ContainerdPaths.CONTAINERD_MAIN, Bytes.utf8(""));
        Set<String> userRuntimes = userRuntimes(original);

        Map<String, CriRuntime> loaded;
        String sandboxImage;
        Path run1 = Files.createDirectory(dir.resolve("installed"));
        try (ContainerdDaemon d = ContainerdDaemon.start(run1, installed)) {
            String line = d.criConfig().orElseThrow(() -> new AssertionError("CRI plugin did not load:\n" + d.log()));
            loaded = CriStartupLog.runtimes(line);
            sandboxImage = CriStartupLog.sandboxImage(line);
        }
        KataLayout layout = new KataLayout(c.spec());
        for (String shim : c.spec().shims()) {
            CriRuntime r = loaded.get(c.spec().handler(shim));
            assertThat(r).as("handler %s loaded by the CRI plugin", c.spec().handler(shim)).isNotNull();
            assertThat(r.type()).isEqualTo("io.containerd." + c.spec().handler(shim) + ".v2");
            assertThat(r.path()).isEqualTo(layout.shimBinary(shim));
            assertThat(r.options()).containsEntry("ConfigPath", layout.configPath(shim));
            assertThat(r.podAnnotations()).containsExactly("io.katacontainers.*");
            assertThat(r.containerAnnotations()).containsExactly("io.kubernetes.container.terminationMessage*");
            assertThat(r.privilegedWithoutHostDevices()).isTrue();
        }
        assertThat(loaded.keySet()).containsAll(userRuntimes);

        node.revert(configurator, c.spec(), c.runtime());
        assertThat(node.files()).isEqualTo(c.input());
        Bytes reverted = node.files().getOrDefault(ContainerdPaths.CONTAINERD_MAIN, Bytes.utf8(""));
        Path run2 = Files.createDirectory(dir.resolve("reverted"));
        try (ContainerdDaemon d = ContainerdDaemon.start(run2, reverted)) {
            String line = d.criConfig().orElseThrow(() -> new AssertionError("CRI plugin did not load:\n" + d.log()));
            Map<String, CriRuntime> after = CriStartupLog.runtimes(line);
            assertThat(after.keySet()).noneMatch(h -> h.startsWith("kata-"));
            assertThat(after.keySet()).containsAll(userRuntimes).contains("runc");
            assertThat(CriStartupLog.sandboxImage(line)).isEqualTo(sandboxImage);
            if (userRuntimes.contains("runc")) {
                assertThat(after.get("runc")).isEqualTo(loaded.get("runc"));
            }
        }
    }

    /**
     * The negative control for the {@code runc} safeguard: on Debian's stock config, the Kata stanza alone (as kata-deploy
     * writes it) makes containerd 1.6 refuse to load the CRI plugin.
     */
    @Test
    void withoutTheRuncEntryDebiansStockConfigLosesTheCriPlugin(@TempDir Path dir) throws Exception {
        GoldenCase c = GoldenCase.load("containerd-1.6-debian-stock");
        DeploySpec spec = c.spec();
        TomlDocument stanzaOnly = TomlDocument.parse("stock", c.input().get(ContainerdPaths.CONTAINERD_MAIN))
                .applyAll(RuntimeStanza.edits(spec, 2));
        try (ContainerdDaemon d = ContainerdDaemon.start(dir, stanzaOnly.bytes())) {
            assertThat(d.criConfig()).isEmpty();
            assertThat(d.log()).contains("failed to load plugin io.containerd.grpc.v1.cri")
                    .contains("default_runtime_name = \\\"runc\\\"");
        }
    }

    private static Set<String> userRuntimes(Bytes config) {
        return TomlDocument.parse("user", config).keys(RuntimeStanza.runtimesTable(2));
    }
}
