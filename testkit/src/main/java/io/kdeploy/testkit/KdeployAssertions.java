package io.kdeploy.testkit;

import io.kdeploy.core.plan.ConfigPlan;

/**
 * The entry point of kdeploy's AssertJ assertions; import it statically next to AssertJ's own {@code Assertions}.
 *
 * <pre>{@code
 * KdeployAssertions.assertThat(plan)
 *         .changesOnly("/etc/containerd/config.toml")
 *         .diffContains("+[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-qemu]");
 * }</pre>
 */
public final class KdeployAssertions {
    private KdeployAssertions() {}

    /** Assertions on a plan whose failure messages show its unified diff. */
    public static ConfigPlanAssert assertThat(ConfigPlan actual) {
        return new ConfigPlanAssert(actual);
    }
}
