/**
 * What the node agent does on the host and for the kubelet: run {@code systemctl} in the host's mount namespace
 * ({@link io.kdeploy.cli.host.Systemd}), serve the health probes ({@link io.kdeploy.cli.host.HealthServer}) and turn
 * SIGTERM into an orderly cleanup ({@link io.kdeploy.cli.host.Termination}).
 */
@NullMarked
package io.kdeploy.cli.host;

import org.jspecify.annotations.NullMarked;
