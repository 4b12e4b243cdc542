package io.kdeploy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuntimeInfoTest {

    @ParameterizedTest
    @CsvSource({
        "containerd://1.7.22, CONTAINERD, 1.7.22, containerd://1.7.22",
        "containerd://2.1.4, CONTAINERD, 2.1.4, containerd://2.1.4",
        "containerd://1.7.22-k3s1, K3S, 1.7.22, containerd://1.7.22",
        "containerd://2.0.5-k3s2, K3S, 2.0.5, containerd://2.0.5",
        "containerd://1.7.17-rke2r1, RKE2, 1.7.17, containerd://1.7.17",
        "cri-o://1.31.1, CRIO, 1.31.1, cri-o://1.31.1",
        "CRI-O://1.30.0, CRIO, 1.30.0, cri-o://1.30.0",
        "' containerd://1.6.9 ', CONTAINERD, 1.6.9, containerd://1.6.9"
    })
    void parsesNodeInfoContainerRuntimeVersion(String text, Flavour flavour, String version, String printed) {
        RuntimeInfo info = RuntimeInfo.parse(text);
        assertThat(info.flavour()).isEqualTo(flavour);
        assertThat(info.version()).isEqualTo(Version.parse(version));
        assertThat(info.toRuntimeVersion()).isEqualTo(printed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "containerd://", "://1.7.22", "containerd:/1.7.22", ""})
    void rejectsTextWithoutRuntimeAndVersion(String text) {
        assertThatThrownBy(() -> RuntimeInfo.parse(text))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("containerd://1.7.22");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker://24.0.7", "rkt://1.0.0"})
    void rejectsRuntimesKdeployDoesNotConfigure(String text) {
        assertThatThrownBy(() -> RuntimeInfo.parse(text))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining(text)
                .hasMessageContaining("is not supported");
    }

    @ParameterizedTest
    @ValueSource(strings = {"containerd://abc", "cri-o://x1.2"})
    void rejectsAVersionThatIsNotANumber(String text) {
        assertThatThrownBy(() -> RuntimeInfo.parse(text))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("major.minor.patch");
    }
}
