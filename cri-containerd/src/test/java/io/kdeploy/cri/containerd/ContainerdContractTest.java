package io.kdeploy.cri.containerd;

import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.testkit.CorpusCase;
import io.kdeploy.testkit.CriConfiguratorContract;
import java.util.List;

/** The containerd configurer passes the testkit's contract over every case of {@code src/corpus/containerd}. */
class ContainerdContractTest extends CriConfiguratorContract {

    @Override
    protected CriConfigurator configurator() {
        return new ContainerdConfigurator();
    }

    @Override
    protected List<CorpusCase> cases() {
        return GoldenCase.names().stream().map(GoldenCase::load)
                .map(g -> new CorpusCase(g.name(), g.input(), g.spec(), g.runtime(), mainFile(g), g.reverted()))
                .toList();
    }

    /** The file the configurer parses first for the flavour: the one it edits, or the one whose imports it reads. */
    private static String mainFile(GoldenCase g) {
        switch (g.runtime().flavour()) {
            case K3S:
            case RKE2:
                return ContainerdPaths.rancherDir(g.runtime().flavour()) + "/config.toml";
            case K0S:
                return ContainerdPaths.K0S_CONFIG;
            case MICROK8S:
                return ContainerdPaths.MICROK8S_TEMPLATE;
            default:
                return ContainerdPaths.CONTAINERD_MAIN;
        }
    }

    @Override
    protected List<String> writablePaths() {
        return List.of(
                ContainerdPaths.CONTAINERD_MAIN,
                ContainerdPaths.CONF_D + "/kata-deploy*.toml",
                "/**opt/kata*/containerd/config.d/kata-deploy*.toml",
                "/var/lib/rancher/{k3s,rke2}/agent/etc/containerd/{config-v3.toml.d,config.toml.d}/kata-deploy*.toml",
                ContainerdPaths.K0S_DROP_IN_DIR + "/kata-deploy*.toml",
                ContainerdPaths.MICROK8S_TEMPLATE);
    }
}
