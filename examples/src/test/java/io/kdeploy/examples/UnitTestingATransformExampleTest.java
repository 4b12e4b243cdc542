package io.kdeploy.examples;

import static io.kdeploy.testkit.KdeployAssertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.testkit.NodeFixture;
import io.kdeploy.testkit.SimulatedNode;
import org.junit.jupiter.api.Test;

/**
 * Unit-testing a config transform: plan against an in-memory node built with {@link NodeFixture} and assert on the plan
 * with the testkit's AssertJ assertions, whose failure messages show the plan's diff.
 */
class UnitTestingATransformExampleTest {
    private final CriConfigurator containerd = Kdeploy.discover().configurer("containerd");

    private final NodeFixture node = NodeFixture.containerd("1.7.22").withConfig("""
            version = 2

            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.gvisor]
              runtime_type = "io.containerd.runsc.v1"
            """);

    @Test
    void installAddsTheKataHandlerNextToTheUsersRuntime() {
        ConfigPlan plan = containerd.plan(node.context(DeploySpec.of("qemu")));

        assertThat(plan)
                .changesOnly("/etc/containerd/config.toml")
                .diffContains("+[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-qemu]",
                        "+runtime_type = \"io.containerd.kata-qemu.v2\"")
                .diffDoesNotContain("-  runtime_type = \"io.containerd.runsc.v1\"")
                .restarts("containerd")
                .registers("kata-qemu");
    }

    @Test
    void installingTwiceChangesNothing() {
        SimulatedNode simulated = new SimulatedNode(node.files());
        simulated.install(containerd, DeploySpec.of("qemu"), node.runtime());

        assertThat(simulated.plan(containerd, DeploySpec.of("qemu"), node.runtime())).isEmpty().restartsNothing();
    }
}
