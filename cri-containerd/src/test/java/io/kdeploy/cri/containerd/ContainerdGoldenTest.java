package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of {@code src/corpus/containerd}: the install gives exactly {@code expected/}, registers every handler key by
 * key, keeps every user setting, plans nothing when run again, and its cleanup gives back {@code input/} byte for byte
 * (or {@code reverted/} where the case says so).
 * {@code -Dgolden.update=true} rewrites {@code expected/} (review the diff before committing).
 */
class ContainerdGoldenTest {
    private final ContainerdConfigurator configurator = new ContainerdConfigurator();

    static List<String> cases() {
        return GoldenCase.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void installMatchesExpected(String name) {
        GoldenCase c = GoldenCase.load(name);
        TestNode node = new TestNode(c.input());
        ConfigPlan plan = node.install(configurator, c.spec(), c.runtime());
        if (Boolean.getBoolean("golden.update")) {
            c.writeExpected(node.files());
        } else {
            assertThat(node.files()).as("host files after install").isEqualTo(c.expected());
        }
        assertThat(plan.isEmpty()).isFalse();
        assertThat(plan.restartUnit()).isEqualTo(c.restart());
        assertThat(plan.handlers()).isEqualTo(c.spec().handlers());
        HandlerAssertions.assertRegistered(c.input(), node.files(), c.spec());
        HandlerAssertions.assertUserSettingsKept(c.input(), node.files(), c.spec());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void installAgainIsEmptyAndCleanupRestoresInput(String name) {
        GoldenCase c = GoldenCase.load(name);
        TestNode node = new TestNode(c.input());
        node.install(configurator, c.spec(), c.runtime());
        Map<String, Bytes> installed = node.files();

        ConfigPlan again = node.install(configurator, c.spec(), c.runtime());
        assertThat(again.isEmpty()).as("second install plan:\n%s", again.toUnifiedDiff()).isTrue();
        assertThat(again.restartUnit()).as("no restart without a change").isNull();
        assertThat(node.files()).isEqualTo(installed);

        ConfigPlan revert = node.revert(configurator, c.spec(), c.runtime());
        assertThat(node.files()).as("host files after cleanup").isEqualTo(c.reverted());
        assertThat(revert.restartUnit()).isEqualTo(c.restart());
        assertThat(node.revert(configurator, c.spec(), c.runtime()).isEmpty()).as("second cleanup").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void upgradeToFewerShimsDropsTheOthers(String name) {
        GoldenCase c = GoldenCase.load(name);
        if (c.spec().shims().size() < 2) {
            return;
        }
        TestNode node = new TestNode(c.input());
        node.install(configurator, c.spec(), c.runtime());
        List<String> fewer = new ArrayList<>(c.spec().shims().subList(0, 1));
        DeploySpec smaller = new DeploySpec(fewer, fewer.get(0), c.spec().suffix(), c.spec().installationPrefix(),
                c.spec().debug(), Map.of(), Map.of(), c.spec().forceGuestPull(), c.spec().hypervisorAnnotations(),
                c.spec().agentHttpsProxy(), c.spec().agentNoProxy(), c.spec().daemonSetName(), c.spec().nodeName(),
                c.spec().extras().withCustomRuntimes(c.spec().extras().customRuntimes().stream()
                        .filter(r -> fewer.contains(r.baseShim())).toList()));
        node.install(configurator, smaller, c.runtime());
        Map<String, Bytes> fresh = new TestNode(c.input()).installed(configurator, smaller, c.runtime());
        assertThat(node.files()).as("upgrade equals a fresh install of the smaller spec").isEqualTo(fresh);
        node.revert(configurator, smaller, c.runtime());
        assertThat(node.files()).isEqualTo(c.reverted());
    }
}
