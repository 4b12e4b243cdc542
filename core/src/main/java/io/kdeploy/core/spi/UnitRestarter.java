package io.kdeploy.core.spi;

/**
 * Restarts the container runtime's service unit after its configuration changed. The CLI implements it with
 * {@code systemctl} on the host; an embedding program may pass its own (or one that records the call, in tests).
 */
@FunctionalInterface
public interface UnitRestarter {

    /**
     * Restarts the unit and returns once it runs again.
     *
     * @param unit the systemd unit, e.g. {@code containerd} or {@code k3s-agent}
     * @throws io.kdeploy.core.KdeployException when the unit does not come back
     */
    void restart(String unit);
}
