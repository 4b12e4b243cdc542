package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.toml.TomlDocument;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two installs ({@code a} and {@code b}) on one node, in both orders, cleaned up in both orders: the other install stays
 * registered and valid, and once both are gone the node is byte for byte what it was.
 */
class MultiInstallTest {
    private final ContainerdConfigurator configurator = new ContainerdConfigurator();

    static List<String> cases() {
        return GoldenCase.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void twoInstallsInAnyOrderLeaveEachOtherIntact(String name) {
        GoldenCase c = GoldenCase.load(name);
        DeploySpec a = c.spec().withSuffix("a");
        DeploySpec b = c.spec().withSuffix("b");
        for (boolean aFirst : new boolean[] {true, false}) {
            for (boolean revertAFirst : new boolean[] {true, false}) {
                TestNode node = new TestNode(c.input());
                DeploySpec first = aFirst ? a : b;
                DeploySpec second = aFirst ? b : a;
                node.install(configurator, first, c.runtime());
                Map<String, Bytes> afterFirst = node.files();
                node.install(configurator, second, c.runtime());
                HandlerAssertions.assertRegistered(afterFirst, node.files(), second);
                assertAllParse(node.files());

                DeploySpec gone = revertAFirst ? a : b;
                DeploySpec kept = revertAFirst ? b : a;
                node.revert(configurator, gone, c.runtime());
                assertAllParse(node.files());
                HandlerAssertions.assertRegistered(c.input(), node.files(), kept);
                assertThat(node.install(configurator, kept, c.runtime()).isEmpty())
                        .as("%s still fully installed after cleanup of %s", kept.suffix(), gone.suffix()).isTrue();
                for (String h : gone.handlers()) {
                    assertThat(node.files().values()).noneMatch(bytes -> bytes.asUtf8().contains("runtimes." + h + "]"));
                }

                node.revert(configurator, kept, c.runtime());
                assertThat(node.files()).as("a first: %s, revert a first: %s", aFirst, revertAFirst).isEqualTo(c.input());
            }
        }
    }

    private static void assertAllParse(Map<String, Bytes> files) {
        files.forEach((path, bytes) -> {
            if (path.endsWith(".toml")) {
                TomlDocument.parse(path, bytes);
            }
        });
    }
}
