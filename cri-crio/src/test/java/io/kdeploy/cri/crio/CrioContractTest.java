package io.kdeploy.cri.crio;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.testkit.CorpusCase;
import io.kdeploy.testkit.CriConfiguratorContract;
import java.util.List;
import java.util.Map;

/** The CRI-O configurer passes the testkit's contract on the corpus hosts of {@code src/corpus/crio/hosts}. */
class CrioContractTest extends CriConfiguratorContract {
    private static final RuntimeInfo CRIO = RuntimeInfo.parse("cri-o://1.31.1");

    @Override
    protected CriConfigurator configurator() {
        return new CrioConfigurator();
    }

    @Override
    protected List<CorpusCase> cases() {
        DeploySpec plain = DeploySpec.of("qemu", "clh");
        DeploySpec debug = DeploySpec.of("qemu", "qemu-runtime-rs").withDebug(true);
        return List.of(
                corpusCase("fedora-crio-1.31", plain, "/etc/crio/crio.conf"),
                corpusCase("fedora-crio-1.31", debug, "/etc/crio/crio.conf"),
                corpusCase("kata-deploy-upgrade", plain, "/etc/crio/crio.conf.d/10-crio.conf"));
    }

    private static CorpusCase corpusCase(String host, DeploySpec spec, String mainFile) {
        String name = host + (spec.debug() ? "-debug" : "");
        Map<String, Bytes> files = TestNode.host(host);
        return new CorpusCase(name, files, spec, CRIO, mainFile, files);
    }

    @Override
    protected List<String> writablePaths() {
        return List.of("/etc/crio/crio.conf.d/99-kata-deploy*", "/etc/crio/crio.conf.d/100-kata-deploy-debug*");
    }
}
