package io.kdeploy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeploySpecTest {

    private static DeploySpec spec(String suffix, String prefix) {
        return new DeploySpec(List.of("qemu", "qemu-snp"), "qemu", suffix, prefix, false,
                Map.of("qemu-snp", "nydus", "qemu", "overlayfs"), Map.of("qemu-snp", "guest-pull"), Set.of(), PerShim.NONE,
                PerShim.NONE, PerShim.NONE, "kata-deploy", "");
    }

    @Test
    void handlerNamesWithoutSuffix() {
        DeploySpec s = spec("", "");
        assertThat(s.handler("qemu")).isEqualTo("kata-qemu");
        assertThat(s.handlers()).containsExactly("kata-qemu", "kata-qemu-snp");
        assertThat(s.instance()).isEqualTo("default");
        assertThat(s.nodeMarkLabel()).isEqualTo("kata-deploy.katacontainers.io/default");
        assertThat(s.dashSuffix()).isEmpty();
    }

    @Test
    void handlerNamesWithSuffix() {
        DeploySpec s = spec("blue", "");
        assertThat(s.handlers()).containsExactly("kata-qemu-blue", "kata-qemu-snp-blue");
        assertThat(s.instance()).isEqualTo("blue");
        assertThat(s.nodeMarkLabel()).isEqualTo("kata-deploy.katacontainers.io/blue");
    }

    @Test
    void destDirCombinesPrefixAndSuffix() {
        assertThat(spec("", "").destDir()).isEqualTo("/opt/kata");
        assertThat(spec("blue", "").destDir()).isEqualTo("/opt/kata-blue");
        assertThat(spec("", "/usr/local").destDir()).isEqualTo("/usr/local/opt/kata");
        assertThat(spec("blue", "/usr/local").destDir()).isEqualTo("/usr/local/opt/kata-blue");
    }

    @Test
    void snapshotterForRenamesNydusToThisInstallsPlugin() {
        assertThat(spec("", "").snapshotterFor("qemu-snp")).isEqualTo("nydus-for-kata-tee");
        assertThat(spec("blue", "").snapshotterFor("qemu-snp")).isEqualTo("nydus-for-kata-tee-blue");
        assertThat(spec("blue", "").snapshotterFor("qemu")).isEqualTo("overlayfs");
        assertThat(spec("", "").snapshotterFor("clh")).isEmpty();
    }

    @Test
    void guestPullOnlyForGuestPullMappedShims() {
        assertThat(spec("", "").guestPull("qemu-snp")).isTrue();
        assertThat(spec("", "").guestPull("qemu")).isFalse();
    }

    @Test
    void withSuffixAlsoRenamesTheDaemonSet() {
        DeploySpec s = spec("", "").withSuffix("green");
        assertThat(s.suffix()).isEqualTo("green");
        assertThat(s.daemonSetName()).isEqualTo("kata-deploy-green");
        assertThat(s.withSuffix("").daemonSetName()).isEqualTo("kata-deploy");
        assertThat(spec("", "").withDebug(true).debug()).isTrue();
    }

    @Test
    void ofTakesTheFirstShimAsDefault() {
        DeploySpec s = DeploySpec.of("clh", "qemu");
        assertThat(s.defaultShim()).isEqualTo("clh");
        assertThat(s.daemonSetName()).isEqualTo("kata-deploy");
    }

    @Test
    void copiesItsCollections() {
        List<String> shims = new ArrayList<>(List.of("qemu"));
        DeploySpec s = new DeploySpec(shims, "qemu", "", "", false, Map.of(), Map.of(), Set.of(), PerShim.NONE, PerShim.NONE,
                PerShim.NONE, "kata-deploy", "");
        shims.add("clh");
        assertThat(s.shims()).containsExactly("qemu");
        assertThatThrownBy(() -> s.shims().add("fc")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsAnInvalidSpecWithActionableMessages() {
        assertThatThrownBy(() -> DeploySpec.of()).isInstanceOf(InvalidSpecException.class).hasMessageContaining("SHIMS_<ARCH>");
        assertThatThrownBy(() -> DeploySpec.of("Qemu")).hasMessageContaining("'Qemu'").hasMessageContaining("lowercase");
        assertThatThrownBy(() -> new DeploySpec(List.of("qemu"), "clh", "", "", false, Map.of(), Map.of(), Set.of(),
                PerShim.NONE, PerShim.NONE, PerShim.NONE, "kata-deploy", ""))
                .hasMessageContaining("'clh'").hasMessageContaining("DEFAULT_SHIM_<ARCH>");
        assertThatThrownBy(() -> spec("Blue!", "")).hasMessageContaining("MULTI_INSTALL_SUFFIX 'Blue!'");
        assertThatThrownBy(() -> spec("", "usr")).hasMessageContaining("INSTALLATION_PREFIX 'usr'");
        assertThatThrownBy(() -> spec("", "/usr/")).hasMessageContaining("trailing '/'");
    }

    @Test
    void perShimValuesWinOverTheValueForAll() {
        PerShim p = new PerShim("http://all", Map.of("qemu", "http://q"));
        assertThat(p.forShim("qemu")).isEqualTo("http://q");
        assertThat(p.forShim("clh")).isEqualTo("http://all");
        assertThat(p.isEmpty()).isFalse();
        assertThat(PerShim.NONE.isEmpty()).isTrue();
        assertThat(PerShim.NONE.forShim("qemu")).isEmpty();
    }
}
