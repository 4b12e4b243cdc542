/**
 * kdeploy core: the API callers use, the SPI extenders implement, the format-preserving TOML engine, plans and
 * their atomic application, install records and exact undo, the artifact installer and the built-in cleanup policies.
 */
module io.kdeploy.core {
    requires static transitive org.jspecify;
    requires org.tomlj;
    requires com.fasterxml.jackson.databind;
    requires io.github.javadiffutils;
    requires org.snakeyaml.engine;
    requires org.apache.commons.compress;
    requires com.github.luben.zstd_jni;

    exports io.kdeploy.core;
    exports io.kdeploy.core.spi;
    exports io.kdeploy.core.cleanup;
    exports io.kdeploy.core.cluster;
    exports io.kdeploy.core.toml;
    exports io.kdeploy.core.plan;
    exports io.kdeploy.core.spec;
    exports io.kdeploy.core.artifacts;
    exports io.kdeploy.core.deploy;

    opens io.kdeploy.core.artifacts to com.fasterxml.jackson.databind;

    uses io.kdeploy.core.spi.CriConfigurator;
    uses io.kdeploy.core.spi.CleanupPolicy;
    uses io.kdeploy.core.spi.Installer;

    provides io.kdeploy.core.spi.Installer with io.kdeploy.core.artifacts.KataArtifactInstaller;

    provides io.kdeploy.core.spi.CleanupPolicy with
            io.kdeploy.core.cleanup.NodeAwarePolicy,
            io.kdeploy.core.cleanup.ThreeStagePolicy;
}
