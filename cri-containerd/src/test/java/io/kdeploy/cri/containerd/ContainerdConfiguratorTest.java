package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.PerShim;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.ValidationCommand;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerdConfiguratorTest {
    private final ContainerdConfigurator configurator = new ContainerdConfigurator();
    private static final String MAIN = ContainerdPaths.CONTAINERD_MAIN;

    private static DeploySpec nydus(String suffix) {
        return new DeploySpec(List.of("qemu-snp"), "qemu-snp", suffix, "", false, Map.of("qemu-snp", "nydus"), Map.of(),
                Set.of(), PerShim.NONE, PerShim.NONE, PerShim.NONE, "kata-deploy", "");
    }

    private ConfigPlan plan(Map<String, Bytes> files, DeploySpec spec, String runtime) {
        return configurator.plan(PlanContext.fresh(NodeFiles.of(files), spec, RuntimeInfo.parse(runtime)));
    }

    @Test
    void serviceLoaderFindsIt() {
        assertThat(ServiceLoader.load(CriConfigurator.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(c -> {
                    assertThat(c).isInstanceOf(ContainerdConfigurator.class);
                    assertThat(c.id()).isEqualTo("containerd");
                });
    }

    @Test
    void supportsEveryContainerdFlavourButNotCrio() {
        for (Flavour f : Flavour.values()) {
            assertThat(configurator.supports(new RuntimeInfo(f, new io.kdeploy.core.Version(1, 7, 0))))
                    .isEqualTo(f != Flavour.CRIO);
        }
    }

    @Test
    void snapshotterMappingOnContainerd16IsAnError() {
        assertThatThrownBy(() -> plan(Map.of(MAIN, Bytes.utf8("version = 2\n")), nydus(""), "containerd://1.6.20"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("SNAPSHOTTER_HANDLER_MAPPING")
                .hasMessageContaining("1.6.20")
                .hasMessageContaining("1.7 or newer");
        assertThat(plan(Map.of(MAIN, Bytes.utf8("version = 2\n")), nydus(""), "containerd://1.7.0").isEmpty()).isFalse();
    }

    @Test
    void snapshotterOnASchemaOneConfigIsAnError() {
        assertThatThrownBy(() -> plan(Map.of(MAIN, Bytes.utf8("[plugins.cri]\n")), nydus(""), "containerd://1.7.2"))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("schema 1");
    }

    @Test
    void schemaOneConfigUsesTheLegacyCriPluginId() {
        ConfigPlan p = plan(Map.of(MAIN, Bytes.utf8("[plugins.cri]\n  sandbox_image = \"p:1\"\n")), DeploySpec.of("qemu"),
                "containerd://1.6.20");
        TomlDocument out = TomlDocument.parse(MAIN, p.edits().get(0).after());
        assertThat(out.get(KeyPath.parse("plugins.cri.containerd.runtimes.kata-qemu.runtime_type")))
                .contains("io.containerd.kata-qemu.v2");
    }

    @Test
    void malformedHostConfigIsExitThree() {
        assertThatThrownBy(() -> plan(Map.of(MAIN, Bytes.utf8("version = 2\n[plugins\n")), DeploySpec.of("qemu"),
                "containerd://1.7.1"))
                .isInstanceOf(MalformedConfigException.class)
                .satisfies(e -> {
                    MalformedConfigException m = (MalformedConfigException) e;
                    assertThat(m.exitCode()).isEqualTo(3);
                    assertThat(m.file()).isEqualTo(MAIN);
                    assertThat(m.line()).isEqualTo(2);
                });
    }

    @Test
    void k3sWithoutTheDropInImportFailsNamingTheLine() {
        String rendered = "/var/lib/rancher/k3s/agent/etc/containerd/config.toml";
        Map<String, Bytes> files = Map.of(rendered, Bytes.utf8("version = 3\n"),
                "/etc/systemd/system/k3s.service", Bytes.utf8("x"));
        assertThatThrownBy(() -> plan(files, DeploySpec.of("qemu"), "containerd://2.0.5-k3s1"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("does not import the drop-in directory 'config-v3.toml.d'")
                .hasMessageContaining("imports = [\"/var/lib/rancher/k3s/agent/etc/containerd/config-v3.toml.d/*.toml\"]")
                .hasMessageContaining("config-v3.toml.tmpl");
        Map<String, Bytes> v2 = Map.of(rendered, Bytes.utf8("version = 2\n"),
                "/etc/systemd/system/k3s.service", Bytes.utf8("x"));
        assertThatThrownBy(() -> plan(v2, DeploySpec.of("qemu"), "containerd://1.7.22-k3s1"))
                .hasMessageContaining("'config.toml.d'").hasMessageContaining("config.toml.tmpl");
        assertThatThrownBy(() -> plan(Map.of("/etc/systemd/system/rke2-server.service", Bytes.utf8("x")),
                DeploySpec.of("qemu"), "containerd://2.0.5-rke2r1"))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("has not rendered");
    }

    @Test
    void k3sOnAVersionTwoConfigWarnsAboutSectionReplacement() {
        GoldenCase v2 = GoldenCase.load("k3s-v2-agent-suffix");
        ConfigPlan p = configurator.plan(PlanContext.fresh(NodeFiles.of(v2.input()), v2.spec(), v2.runtime()));
        assertThat(p.warnings()).singleElement().asString().contains("replace the whole io.containerd.grpc.v1.cri section")
                .contains("k3s crictl info");
        GoldenCase v3 = GoldenCase.load("k3s-v3-server");
        assertThat(configurator.plan(PlanContext.fresh(NodeFiles.of(v3.input()), v3.spec(), v3.runtime())).warnings())
                .isEmpty();
    }

    @Test
    void upgradeFrom21To22MovesTheDropInToConfDAndCleansUpTheOldOne() {
        String main = "version = 3\nimports = [\"/etc/containerd/conf.d/*.toml\"]\n";
        TestNode node = new TestNode(Map.of(MAIN, Bytes.utf8(main)));
        DeploySpec spec = DeploySpec.of("qemu");
        node.install(configurator, spec, RuntimeInfo.parse("containerd://2.1.4"));
        assertThat(node.files()).containsKey("/opt/kata/containerd/config.d/kata-deploy.toml");
        assertThat(node.files().get(MAIN).asUtf8()).contains("/opt/kata/containerd/config.d/kata-deploy.toml");

        ConfigPlan upgrade = node.install(configurator, spec, RuntimeInfo.parse("containerd://2.2.0"));
        assertThat(upgrade.changedPaths()).containsExactlyInAnyOrder(MAIN, "/etc/containerd/conf.d/kata-deploy.toml",
                "/opt/kata/containerd/config.d/kata-deploy.toml");
        assertThat(node.files()).doesNotContainKey("/opt/kata/containerd/config.d/kata-deploy.toml")
                .containsKey("/etc/containerd/conf.d/kata-deploy.toml");
        assertThat(node.files().get(MAIN).asUtf8()).isEqualTo(main);

        node.revert(configurator, spec, RuntimeInfo.parse("containerd://2.2.0"));
        assertThat(node.files()).isEqualTo(Map.of(MAIN, Bytes.utf8(main)));
    }

    @Test
    void changedInstallationPrefixMovesTheDropIn() {
        TestNode node = new TestNode(Map.of(MAIN, Bytes.utf8("version = 3\n")));
        RuntimeInfo rt = RuntimeInfo.parse("containerd://2.0.3");
        node.install(configurator, DeploySpec.of("qemu"), rt);
        DeploySpec prefixed = new DeploySpec(List.of("qemu"), "qemu", "", "/usr/local", false, Map.of(), Map.of(), Set.of(),
                PerShim.NONE, PerShim.NONE, PerShim.NONE, "kata-deploy", "");
        node.install(configurator, prefixed, rt);
        assertThat(node.files().keySet()).containsExactlyInAnyOrder(MAIN,
                "/usr/local/opt/kata/containerd/config.d/kata-deploy.toml");
        assertThat(node.files().get(MAIN).asUtf8())
                .isEqualTo("version = 3\nimports = [\"/usr/local/opt/kata/containerd/config.d/kata-deploy.toml\"]\n");
        node.revert(configurator, prefixed, rt);
        assertThat(node.files()).isEqualTo(Map.of(MAIN, Bytes.utf8("version = 3\n")));
    }

    @Test
    void declaredPlainContainerdOnAK3sHostFails() {
        Map<String, Bytes> files = Map.of("/etc/systemd/system/k3s.service", Bytes.utf8("x"), MAIN, Bytes.utf8("version = 2\n"));
        assertThatThrownBy(() -> plan(files, DeploySpec.of("qemu"), "containerd://1.7.22"))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("this host runs k3s");
    }

    @Test
    void validationCommandOnlyWhenABinaryIsOnTheHost() {
        Map<String, Bytes> noBinary = Map.of(MAIN, Bytes.utf8("version = 2\n"));
        assertThat(plan(noBinary, DeploySpec.of("qemu"), "containerd://1.7.1").validation()).isNull();
        Map<String, Bytes> withBinary = Map.of(MAIN, Bytes.utf8("version = 2\n"), "/usr/local/bin/containerd",
                Bytes.utf8("ELF"));
        assertThat(plan(withBinary, DeploySpec.of("qemu"), "containerd://1.7.1").validation()).isEqualTo(
                new ValidationCommand(List.of("/usr/local/bin/containerd", "--config", MAIN, "config", "dump")));
        String k3s = "/var/lib/rancher/k3s/agent/etc/containerd/config.toml";
        Map<String, Bytes> k3sHost = Map.of("/usr/bin/containerd", Bytes.utf8("ELF"), "/etc/systemd/system/k3s.service",
                Bytes.utf8("x"), k3s, Bytes.utf8("version = 3\nimports = [\"/var/lib/rancher/k3s/agent/etc/containerd/"
                        + "config-v3.toml.d/*.toml\"]\n"));
        assertThat(plan(k3sHost, DeploySpec.of("qemu"), "containerd://2.0.5-k3s1").validation())
                .as("k3s brings its own containerd").isNull();
    }

    @Test
    void revertOfACreatedMainFileHasNoValidation() {
        TestNode node = new TestNode(Map.of("/usr/bin/containerd", Bytes.utf8("ELF")));
        RuntimeInfo rt = RuntimeInfo.parse("containerd://1.6.20");
        assertThat(node.install(configurator, DeploySpec.of("qemu"), rt).validation()).isNotNull();
        ConfigPlan revert = node.revert(configurator, DeploySpec.of("qemu"), rt);
        assertThat(revert.edits()).singleElement().satisfies(e -> assertThat(e.after()).isNull());
        assertThat(revert.validation()).isNull();
        assertThat(revert.restartUnit()).isEqualTo("containerd");
    }

    @Test
    void dropInVersionNeverExceedsTheMainFiles() {
        ConfigPlan p = plan(Map.of(MAIN, Bytes.utf8("version = 2\n")), DeploySpec.of("qemu"), "containerd://2.0.0");
        Bytes dropIn = p.edits().stream().filter(e -> e.path().endsWith("kata-deploy.toml")).findFirst().orElseThrow()
                .after();
        TomlDocument d = TomlDocument.parse("d", dropIn);
        assertThat(d.get(KeyPath.of("version"))).contains(2L);
        assertThat(d.has(RuntimeStanza.runtimesTable(2).child("kata-qemu"))).isTrue();
        ConfigPlan v4 = plan(Map.of(MAIN, Bytes.utf8("version = 4\n")), DeploySpec.of("qemu"), "containerd://2.3.0");
        assertThat(v4.edits().stream().filter(e -> e.path().endsWith("kata-deploy.toml")).findFirst().orElseThrow().after()
                .asUtf8()).startsWith("version = 3\n");
    }

    @Test
    void confDImportBefore22IsNotUsedAndOtherSuffixesLegacyImportStays() {
        String main = "version = 3\nimports = [\"/etc/containerd/conf.d/*.toml\", \"/opt/kata-x/containerd/config.d/kata-deploy.toml\"]\n";
        ConfigPlan p21 = plan(Map.of(MAIN, Bytes.utf8(main)), DeploySpec.of("qemu"), "containerd://2.1.9");
        assertThat(p21.changedPaths()).containsExactlyInAnyOrder(MAIN, "/opt/kata/containerd/config.d/kata-deploy.toml");
        ConfigPlan p22 = plan(Map.of(MAIN, Bytes.utf8(main)), DeploySpec.of("qemu"), "containerd://2.2.0");
        assertThat(p22.changedPaths()).containsExactly("/etc/containerd/conf.d/kata-deploy.toml");
    }

    @Test
    void k0sNeverRestartsAndMicrok8sNeedsItsTemplate() {
        Map<String, Bytes> k0s = Map.of("/etc/systemd/system/k0sworker.service", Bytes.utf8("x"));
        ConfigPlan p = configurator.plan(PlanContext.fresh(NodeFiles.of(k0s), DeploySpec.of("qemu"),
                new RuntimeInfo(Flavour.K0S, new io.kdeploy.core.Version(2, 0, 1))));
        assertThat(p.restartUnit()).isNull();
        assertThat(p.changedPaths()).containsExactly("/etc/k0s/containerd.d/kata-deploy.toml");
        assertThat(p.edits().get(0).after().asUtf8()).startsWith("version = 3\n");
        Map<String, Bytes> mk8s = Map.of("/etc/systemd/system/snap.microk8s.daemon-containerd.service", Bytes.utf8("x"));
        assertThatThrownBy(() -> configurator.plan(PlanContext.fresh(NodeFiles.of(mk8s), DeploySpec.of("qemu"),
                new RuntimeInfo(Flavour.MICROK8S, new io.kdeploy.core.Version(1, 6, 28)))))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining(ContainerdPaths.MICROK8S_TEMPLATE);
    }

    @Test
    void crioIsRefused() {
        assertThatThrownBy(() -> plan(Map.of(), DeploySpec.of("qemu"), "cri-o://1.31.1"))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("crio");
    }

    @Test
    void handEditedFileKeepsTheUsersEditOnCleanup() {
        String original = "version = 2\n\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  sandbox_image = \"p:1\"\n\n"
                + "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n  runtime_type = \"io.containerd.runc.v2\"\n";
        TestNode node = new TestNode(Map.of(MAIN, Bytes.utf8(original)));
        RuntimeInfo rt = RuntimeInfo.parse("containerd://1.7.20");
        node.install(configurator, DeploySpec.of("qemu", "clh"), rt);
        node.put(MAIN, Bytes.utf8(node.files().get(MAIN).asUtf8().replace("p:1", "p:2")));
        node.revert(configurator, DeploySpec.of("qemu", "clh"), rt);
        assertThat(node.files().get(MAIN).asUtf8()).isEqualTo(original.replace("p:1", "p:2"));
    }
}
