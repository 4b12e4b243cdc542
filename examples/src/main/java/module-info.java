/**
 * Examples: embedding kdeploy ({@link io.kdeploy.examples.EmbeddingExample}) and a third-party configurer for Docker Engine
 * ({@link io.kdeploy.examples.DockerConfigurator}) registered as a service.
 */
module io.kdeploy.examples {
    requires io.kdeploy.core;
    requires com.fasterxml.jackson.databind;

    provides io.kdeploy.core.spi.CriConfigurator with io.kdeploy.examples.DockerConfigurator;
}
