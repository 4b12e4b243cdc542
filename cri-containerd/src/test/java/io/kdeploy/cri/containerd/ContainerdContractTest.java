package io.kdeploy.cri.containerd;

import io.kdeploy.core.plan.Bytes;
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
                return ContainerdPaths.main(g.spec());
        }
    }

    /**
     * Custom runtime handlers are named by the user (as in kata-deploy) and not suffixed, so two installs given the same
     * {@code custom-runtimes.list} register the same handler: the contract's two-instance property cannot hold for them.
     */
    @Override
    protected Map<String, String> knownFailures() {
        return Map.of("twoInstancesLeaveEachOtherAlone/containerd-1.7-custom-runtimes",
                "custom runtime handlers are named by the user and not suffixed, so two installs with the same"
                        + " custom-runtimes.list register the same handler; each install needs its own handler names");
    }

    @Override
    protected List<String> writablePaths() {
        return List.of(
                "/etc/containerd/*.toml",
                ContainerdPaths.CONF_D + "/{kata-deploy,zz-kata-deploy-user}*.toml",
                "/**opt/kata*/containerd/config.d/{kata-deploy,zz-kata-deploy-user}*.toml",
                "/var/lib/rancher/{k3s,rke2}/agent/etc/containerd/{config-v3.toml.d,config.toml.d}/"
                        + "{kata-deploy,zz-kata-deploy-user}*.toml",
                ContainerdPaths.K0S_DROP_IN_DIR + "/{kata-deploy,zz-kata-deploy-user}*.toml",
                ContainerdPaths.MICROK8S_TEMPLATE,
                "/etc/systemd/system/nydus-for-kata-tee*.service",
                "/**opt/kata*/nydus-for-kata-tee*/config-guest-pulling.toml");
    }

    /** TOML files parse as TOML; the nydus unit file is systemd's INI: sections, {@code key=value} lines, comments. */
    @Override
    protected void assertParses(String path, Bytes content) {
        if (!path.endsWith(".service")) {
            super.assertParses(path, content);
            return;
        }
        for (String line : content.asUtf8().split("\n")) {
            String l = line.strip();
            org.assertj.core.api.Assertions.assertThat(l.isEmpty() || l.startsWith("#") || l.matches("\\[[A-Za-z]+\\]")
                    || l.matches("[A-Za-z]+=.+")).as("%s: line '%s'", path, line).isTrue();
        }
    }
}
