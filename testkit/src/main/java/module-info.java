/**
 * kdeploy's conformance kit: {@link io.kdeploy.testkit.CriConfiguratorContract} (an abstract JUnit 5 class any
 * {@code CriConfigurator} runs over its corpus), AssertJ assertions for plans ({@link io.kdeploy.testkit.KdeployAssertions})
 * and fixtures ({@link io.kdeploy.testkit.NodeFixture}, and {@link io.kdeploy.core.artifacts.BundleBuilder} from core).
 */
module io.kdeploy.testkit {
    requires transitive io.kdeploy.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires org.tomlj;
    requires com.fasterxml.jackson.databind;
    requires org.apache.commons.compress;
    requires com.github.luben.zstd_jni;

    exports io.kdeploy.testkit;
}
