/** Conformance contracts, assertions and fixtures for CriConfigurator implementations. */
module io.kdeploy.testkit {
    requires transitive io.kdeploy.core;
}
