package io.kdeploy.core.spi;

/**
 * The host's systemd, as far as kdeploy drives units other than the CRI's restart (the nydus snapshotter unit
 * {@code nydus-for-kata-tee[-<suffix>]}). The CLI implements it with {@code systemctl} on the host; tests use a recording
 * fake. Unit names are given without {@code .service}.
 */
public interface HostUnits {

    /**
     * {@code systemctl daemon-reload}: systemd re-reads unit files after one was written or removed.
     *
     * @throws io.kdeploy.core.KdeployException when systemd refuses
     */
    void daemonReload();

    /**
     * {@code systemctl enable <unit>} then {@code systemctl restart <unit>}: the unit runs now and after a reboot, with its
     * current unit file and configuration.
     *
     * @throws io.kdeploy.core.KdeployException when either step fails
     */
    void enableAndRestart(String unit);

    /**
     * {@code systemctl disable --now <unit>}: stopped and no longer started at boot. A unit that does not exist (any
     * more) is not an error.
     *
     * @throws io.kdeploy.core.KdeployException when systemd fails to stop an existing unit
     */
    void disableNow(String unit);
}
