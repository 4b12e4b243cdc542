package io.kdeploy.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KataLayoutTest {

    @ParameterizedTest
    @CsvSource({"qemu, false", "clh, false", "qemu-snp, false", "qemu-runtime-rs, true", "qemu-snp-runtime-rs, true",
        "dragonball, true", "cloud-hypervisor, true", "fc, false"})
    void rustShims(String shim, boolean rust) {
        assertThat(KataLayout.isRustShim(shim)).isEqualTo(rust);
    }

    @Test
    void goShimPaths() {
        KataLayout l = new KataLayout(DeploySpec.of("qemu"));
        assertThat(l.dest()).isEqualTo("/opt/kata");
        assertThat(l.shimBinary("qemu")).isEqualTo("/opt/kata/bin/containerd-shim-kata-v2");
        assertThat(l.defaultsDir("qemu")).isEqualTo("/opt/kata/share/defaults/kata-containers");
        assertThat(l.runtimeDir("qemu")).isEqualTo("/opt/kata/share/defaults/kata-containers/runtimes/qemu");
        assertThat(l.configPath("qemu"))
                .isEqualTo("/opt/kata/share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml");
    }

    @Test
    void rustShimPathsWithPrefixAndSuffix() {
        DeploySpec spec = new DeploySpec(java.util.List.of("qemu-runtime-rs"), "qemu-runtime-rs", "blue", "/usr/local", false,
                java.util.Map.of(), java.util.Map.of(), java.util.Set.of(), PerShim.NONE, PerShim.NONE, PerShim.NONE,
                "kata-deploy-blue", "");
        KataLayout l = new KataLayout(spec);
        assertThat(l.dest()).isEqualTo("/usr/local/opt/kata-blue");
        assertThat(l.shimBinary("qemu-runtime-rs")).isEqualTo("/usr/local/opt/kata-blue/runtime-rs/bin/containerd-shim-kata-v2");
        assertThat(l.configPath("qemu-runtime-rs")).isEqualTo("/usr/local/opt/kata-blue/share/defaults/kata-containers"
                + "/runtime-rs/runtimes/qemu-runtime-rs/configuration-qemu-runtime-rs.toml");
    }
}
