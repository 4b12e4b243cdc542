package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.Version;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.spi.NodeFiles;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlavourDetectorTest {
    private static final Bytes UNIT = Bytes.utf8("[Service]\nExecStart=/bin/true\n");

    private static NodeFiles node(String... pathsAndContent) {
        Map<String, Bytes> m = new HashMap<>();
        for (int i = 0; i < pathsAndContent.length; i += 2) {
            m.put(pathsAndContent[i], Bytes.utf8(pathsAndContent[i + 1]));
        }
        return NodeFiles.of(m);
    }

    @Test
    void plainContainerdFromItsConfigWithVersionFromTheSchema() {
        assertThat(FlavourDetector.detect(null, node("/etc/containerd/config.toml", "version = 2\n")))
                .contains(new RuntimeInfo(Flavour.CONTAINERD, new Version(1, 7, 0)));
        assertThat(FlavourDetector.detect(null, node("/etc/containerd/config.toml", "version = 3\n")))
                .contains(new RuntimeInfo(Flavour.CONTAINERD, new Version(2, 0, 0)));
        assertThat(FlavourDetector.detect(null, node("/etc/containerd/config.toml",
                "version = 3\nimports = [\"/etc/containerd/conf.d/*.toml\"]\n")))
                .contains(new RuntimeInfo(Flavour.CONTAINERD, new Version(2, 2, 0)));
        assertThat(FlavourDetector.detect(null, node("/etc/containerd/config.toml", "# nothing\n")))
                .contains(new RuntimeInfo(Flavour.CONTAINERD, new Version(1, 6, 0)));
        assertThat(FlavourDetector.detect(null, node("/usr/local/bin/containerd", "ELF")))
                .contains(new RuntimeInfo(Flavour.CONTAINERD, new Version(1, 6, 0)));
        assertThat(FlavourDetector.detect(null, node("/etc/hostname", "n1"))).isEmpty();
    }

    @Test
    void versionStringGivesK3sAndRke2AndKeepsItsVersion() {
        assertThat(FlavourDetector.detect("containerd://1.7.22-k3s1", node()))
                .contains(new RuntimeInfo(Flavour.K3S, new Version(1, 7, 22)));
        assertThat(FlavourDetector.detect("containerd://1.7.22-rke2r1", node()))
                .contains(new RuntimeInfo(Flavour.RKE2, new Version(1, 7, 22)));
        assertThat(FlavourDetector.detect("containerd://2.1.4", node()))
                .contains(new RuntimeInfo(Flavour.CONTAINERD, new Version(2, 1, 4)));
        assertThat(FlavourDetector.detect("cri-o://1.31.1", node("/etc/systemd/system/k3s.service", "x")))
                .contains(new RuntimeInfo(Flavour.CRIO, new Version(1, 31, 1)));
    }

    @Test
    void hostUnitsWinOverAVersionWithoutDistributionMarker() {
        NodeFiles k3s = node("/etc/systemd/system/k3s.service", "x");
        assertThat(FlavourDetector.detect("containerd://2.2.2-bd1.34", k3s))
                .contains(new RuntimeInfo(Flavour.K3S, new Version(2, 2, 2)));
        assertThat(FlavourDetector.restartUnit(Flavour.K3S, k3s)).isEqualTo("k3s");
    }

    @Test
    void kataDeploysOrderAndEnabledUnitsFirst() {
        assertThat(FlavourDetector.distribution(node("/etc/systemd/system/k3s-agent.service", "x",
                "/etc/systemd/system/k3s.service", "x")).orElseThrow().restartUnit()).isEqualTo("k3s-agent");
        NodeFiles rke2Server = node("/usr/local/lib/systemd/system/rke2-agent.service", "x",
                "/usr/local/lib/systemd/system/rke2-server.service", "x",
                "/etc/systemd/system/multi-user.target.wants/rke2-server.service", "x");
        assertThat(FlavourDetector.distribution(rke2Server).orElseThrow())
                .isEqualTo(new FlavourDetector.Detection(Flavour.RKE2, "rke2-server",
                        "/etc/systemd/system/multi-user.target.wants/rke2-server.service"));
        NodeFiles both = node("/usr/lib/systemd/system/rke2-agent.service", "x",
                "/usr/lib/systemd/system/rke2-server.service", "x");
        assertThat(FlavourDetector.distribution(both).orElseThrow().restartUnit()).isEqualTo("rke2-agent");
        assertThat(FlavourDetector.distribution(node("/etc/systemd/system/snap.microk8s.daemon-containerd.service", "x",
                "/etc/systemd/system/k3s.service", "x")).orElseThrow().flavour()).isEqualTo(Flavour.MICROK8S);
        FlavourDetector.Detection k0s = FlavourDetector.distribution(node("/etc/systemd/system/k0scontroller.service", "x"))
                .orElseThrow();
        assertThat(k0s.flavour()).isEqualTo(Flavour.K0S);
        assertThat(k0s.restartUnit()).isNull();
        assertThat(FlavourDetector.distribution(node(ContainerdPaths.MICROK8S_TEMPLATE, "version = 2\n")).orElseThrow()
                .restartUnit()).isEqualTo("snap.microk8s.daemon-containerd");
        assertThat(FlavourDetector.distribution(node("/var/lib/rancher/rke2/agent/etc/containerd/config.toml",
                "version = 3\n")).orElseThrow().flavour()).isEqualTo(Flavour.RKE2);
    }

    @Test
    void declaredFlavourThatContradictsTheHostFails() {
        NodeFiles rke2 = node("/etc/systemd/system/rke2-agent.service", "x");
        assertThatThrownBy(() -> FlavourDetector.verifyDeclared(Flavour.K3S, rke2))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("given as 'k3s' but this host runs rke2")
                .hasMessageContaining("/etc/systemd/system/rke2-agent.service")
                .hasMessageContaining("--runtime rke2")
                .satisfies(e -> assertThat(((InvalidSpecException) e).exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> FlavourDetector.verifyDeclared(Flavour.CONTAINERD, rke2))
                .hasMessageContaining("this host runs rke2");
        assertThatThrownBy(() -> FlavourDetector.verifyDeclared(Flavour.K0S, node("/etc/containerd/config.toml", "")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("shows no k0s");
        FlavourDetector.verifyDeclared(Flavour.RKE2, rke2);
        FlavourDetector.verifyDeclared(Flavour.CONTAINERD, node("/etc/containerd/config.toml", ""));
    }

    @Test
    void unitFilesAreSoughtInEverySystemdDirectory() {
        for (String dir : FlavourDetector.UNIT_DIRS) {
            assertThat(FlavourDetector.distribution(node(dir + "/k3s.service", UNIT.asUtf8())))
                    .map(FlavourDetector.Detection::flavour).contains(Flavour.K3S);
        }
    }
}
