package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.MalformedConfigException;
import org.junit.jupiter.api.Test;

/** A base Kata configuration that cannot be read is named by file, line and column; one without a hypervisor too. */
class ShimConfigTest {
    private static final KataLayout LAYOUT = new KataLayout(DeploySpec.of("qemu"));
    private static final String BASE = "/opt/kata/share/defaults/kata-containers/configuration-qemu.toml";

    @Test
    void aMalformedBaseConfigurationNamesFileLineAndColumn() {
        assertThatThrownBy(() -> ShimConfig.render(LAYOUT, "qemu", "[hypervisor.qemu]\npath = \"/opt/kata/bin/qemu\"\n"
                + "kernel = = 1\n"))
                .isInstanceOfSatisfying(MalformedConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(BASE);
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isPositive();
                });
    }

    @Test
    void aBaseConfigurationNeedsExactlyOneHypervisor() {
        assertThatThrownBy(() -> ShimConfig.render(LAYOUT, "qemu", "[runtime]\nenable_debug = false\n"))
                .isInstanceOf(MalformedConfigException.class).hasMessageContaining("found []");
        assertThatThrownBy(() -> ShimConfig.render(LAYOUT, "qemu", "[hypervisor.qemu]\n[hypervisor.clh]\n"))
                .isInstanceOf(MalformedConfigException.class).hasMessageContaining("found [qemu, clh]");
        assertThat(ShimConfig.render(LAYOUT, "qemu", "hypervisor.qemu.path = \"/opt/kata/bin/qemu\"\n").hypervisor())
                .as("a dotted key defines the table too").isEqualTo("qemu");
    }
}
