package io.kdeploy.core.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.spi.CleanupPolicy;
import org.junit.jupiter.api.Test;

class PolicyDiscoveryTest {

    @Test
    void serviceLoaderFindsBothBuiltInPoliciesById() {
        Kdeploy kdeploy = Kdeploy.discover();
        assertThat(kdeploy.policy("node-aware")).isInstanceOf(NodeAwarePolicy.class);
        assertThat(kdeploy.policy("three-stage")).isInstanceOf(ThreeStagePolicy.class);
        assertThat(kdeploy.policies()).extracting(CleanupPolicy::id).contains("node-aware", "three-stage");
        assertThat(kdeploy.problems()).isEmpty();
    }
}
