package io.kdeploy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.testkit.KdeployAssertions;
import io.kdeploy.testkit.NodeFixture;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** What the Docker Engine configurer writes, and that {@link ServiceLoader} finds it. */
class DockerConfiguratorTest {
    private static final NodeFixture NODE = NodeFixture.containerd("1.7.27").withFile(DockerConfigurator.DAEMON_JSON, """
            {
              "storage-driver": "overlay2",
              "runtimes": {"runsc": {"path": "/usr/local/bin/runsc"}},
              "log-driver": "json-file"
            }
            """);

    @Test
    void addsTheHandlersKeepingTheUsersKeysInTheirOrder() {
        ConfigPlan plan = new DockerConfigurator().plan(NODE.context(DeploySpec.of("qemu").withSuffix("blue")));

        KdeployAssertions.assertThat(plan).changesOnly(DockerConfigurator.DAEMON_JSON).restarts("docker")
                .registers("kata-qemu-blue");
        assertThat(plan.edits().get(0).after().asUtf8()).isEqualTo("""
                {
                  "storage-driver": "overlay2",
                  "runtimes": {
                    "runsc": {
                      "path": "/usr/local/bin/runsc"
                    },
                    "kata-qemu-blue": {
                      "runtimeType": "io.containerd.kata-qemu-blue.v2",
                      "options": {
                        "ConfigPath": "/opt/kata-blue/share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml"
                      }
                    }
                  },
                  "log-driver": "json-file"
                }
                """);
    }

    @Test
    void serviceLoaderFindsIt() {
        assertThat(ServiceLoader.load(CriConfigurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(DockerConfigurator.class);
        assertThat(Kdeploy.discover().configurer("docker")).isInstanceOf(DockerConfigurator.class);
    }
}
