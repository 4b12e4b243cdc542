package io.kdeploy.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.Version;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.testkit.CorpusCase;
import io.kdeploy.testkit.CriConfiguratorContract;
import io.kdeploy.testkit.NodeFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The Docker Engine configurer passes the same contract as the built-in ones; its files are JSON, not TOML. */
class DockerConfiguratorContractTest extends CriConfiguratorContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NodeFixture DOCKER = NodeFixture.of(
            new RuntimeInfo(Flavour.CONTAINERD, Version.parse("1.7.27")), DockerConfigurator.DAEMON_JSON);

    @Override
    protected CriConfigurator configurator() {
        return new DockerConfigurator();
    }

    @Override
    protected List<CorpusCase> cases() {
        return List.of(
                DOCKER.toCase("no-daemon-json", DeploySpec.of("qemu")),
                DOCKER.withConfig("""
                        {
                            "log-driver": "json-file",
                            "log-opts": {"max-size": "10m", "max-file": "3"},
                            "registry-mirrors": ["https://mirror.example.com"],
                            "storage-driver": "overlay2"
                        }
                        """).toCase("user-settings", DeploySpec.of("qemu", "clh")),
                DOCKER.withConfig("""
                        {"runtimes": {"runsc": {"path": "/usr/local/bin/runsc"}}, "features": {"buildkit": true}}
                        """).toCase("gvisor-runtime", DeploySpec.of("qemu-runtime-rs")));
    }

    @Override
    protected List<String> writablePaths() {
        return List.of(DockerConfigurator.DAEMON_JSON);
    }

    @Override
    protected void assertParses(String nodePath, Bytes content) {
        meaning(nodePath, content);
    }

    @Override
    protected Object meaning(String nodePath, Bytes content) {
        try {
            return JSON.readTree(content.toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(nodePath + " is not JSON: " + e.getMessage(), e);
        }
    }
}
