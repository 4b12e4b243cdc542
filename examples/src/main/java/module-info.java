/** Examples: embedding kdeploy and a third-party configurer for Docker Engine. */
module io.kdeploy.examples {
    requires io.kdeploy.core;
}
