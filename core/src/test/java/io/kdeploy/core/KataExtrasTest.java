package io.kdeploy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KataExtrasTest {
    private static KataExtras distribution(String d) {
        return new KataExtras(false, "", "", "config.toml", d, 8090, Set.of(), KataExtras.Erofs.DEFAULT);
    }

    @Test
    void theOldConstructorMeansKataDeploysDefaults() {
        DeploySpec old = new DeploySpec(List.of("qemu"), "qemu", "", "", true, Map.of(), Map.of(), Set.of(), PerShim.NONE,
                PerShim.NONE, PerShim.NONE, "kata-deploy", "");
        assertThat(old.extras()).isEqualTo(KataExtras.NONE);
        assertThat(DeploySpec.of("qemu").extras()).isEqualTo(KataExtras.NONE);
        assertThat(KataExtras.NONE.healthPort()).isEqualTo(8090);
        assertThat(KataExtras.NONE.containerdConfigFileName()).isEqualTo("config.toml");
    }

    @Test
    void withSuffixAndWithDebugCarryTheExtras() {
        KataExtras e = KataExtras.NONE.withDevkit(true).withUserDropIn("/u.toml", "version = 3\n");
        DeploySpec s = DeploySpec.of("qemu").withExtras(e).withSuffix("b").withDebug(true);
        assertThat(s.extras()).isEqualTo(e);
        assertThat(s.handlers()).containsExactly("kata-qemu-b", "kata-qemu-b-debug", "kata-qemu-b-devkit");
        assertThat(new KataLayout(s).variantConfigPath("qemu", "devkit"))
                .isEqualTo("/opt/kata-b/share/defaults/kata-containers/custom-runtimes/kata-qemu-b-devkit/configuration-qemu.toml");
    }

    @Test
    void valuesAreValidated() {
        assertThatThrownBy(() -> new KataExtras(false, "", "", "../x", "", 8090, Set.of(), KataExtras.Erofs.DEFAULT))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("CONTAINERD_CONFIG_FILE_NAME '../x'");
        assertThatThrownBy(() -> new KataExtras(false, "", "", "config.toml", "", 0, Set.of(), KataExtras.Erofs.DEFAULT))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("HEALTH_PORT 0");
        assertThatThrownBy(() -> new KataExtras(false, "", "", "config.toml", "", 8090, Set.of("stargz"),
                KataExtras.Erofs.DEFAULT)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("'stargz'");
        assertThatThrownBy(() -> distribution("K3S")).isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void declaredDistributionIsCheckedAsKataDeployDoes() {
        distribution("").checkDistribution(Flavour.K3S);
        distribution("k3s").checkDistribution(Flavour.K3S);
        distribution("rke2").checkDistribution(Flavour.RKE2);
        distribution("k0s").checkDistribution(Flavour.K0S);
        distribution("microk8s").checkDistribution(Flavour.MICROK8S);
        distribution("k8s").checkDistribution(Flavour.CONTAINERD);
        distribution("kubeadm").checkDistribution(Flavour.CONTAINERD);
        distribution("k3s").checkDistribution(Flavour.CRIO);
        assertThatThrownBy(() -> distribution("k8s").checkDistribution(Flavour.RKE2))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("K8S_DISTRIBUTION is 'k8s' but this node runs rke2")
                .hasMessageContaining("\"rke2\"");
        assertThatThrownBy(() -> distribution("microk8s").checkDistribution(Flavour.CONTAINERD))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("\"k8s\"");
    }
}
