package io.kdeploy.cri.containerd;

import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.testkit.CorpusCase;
import io.kdeploy.testkit.CriConfiguratorContract;
import java.util.List;
import java.util.Map;

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

    /**
     * Found by the contract, not yet fixed in the configurer: with two installs on containerd 2.0/2.1 (drop-in under the
     * dest plus an {@code imports} entry in the main file), planning {@code a} again after {@code b} was installed is not
     * a no-op. When {@code a} created the {@code imports} key, {@code a}'s baseline (the file with {@code a}'s recorded undo
     * applied) loses the whole key, so the plan drops {@code b}'s import and with it {@code b}'s handlers; when the key
     * existed, the plan moves {@code a}'s entry behind {@code b}'s (bytes written, containerd restarted, no change).
     */
    @Override
    protected Map<String, String> knownFailures() {
        String dropsImport = "re-planning a drops b's imports entry when a created the imports key";
        return Map.of(
                "twoInstancesLeaveEachOtherAlone/containerd-2.0-no-imports", dropsImport,
                "twoInstancesLeaveEachOtherAlone/containerd-2.1-missing-config", dropsImport,
                "twoInstancesLeaveEachOtherAlone/containerd-2.2-without-confd", dropsImport,
                "twoInstancesLeaveEachOtherAlone/containerd-2.1-imports-suffix-nydus-debug",
                "re-planning a reorders the imports array behind b's entry");
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
