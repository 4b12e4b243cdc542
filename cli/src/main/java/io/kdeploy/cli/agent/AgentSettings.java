package io.kdeploy.cli.agent;

import static java.util.Objects.requireNonNull;

import io.kdeploy.cli.host.HealthServer;
import io.kdeploy.core.DeploySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the node agent runs, beyond the deployment spec: where the pod lives, its probes, and how long it waits.
 *
 * @param namespace the pod's namespace ({@code POD_NAMESPACE}), where its own DaemonSet lives
 * @param healthPort the probe port ({@code HEALTH_PORT}), {@code 0} for any free port
 * @param readyTimeout how long the node may take to be {@code Ready} after the install
 * @param handlersTimeout how long the node may take to report our handlers in {@code status.runtimeHandlers}
 * @param labelSettle how long the labels must hold before the install counts as done (a restarting kubelet may drop them)
 * @param labelTimeout how long the labels may take to hold
 * @param startupTaints the taints removed once the node serves Kata ({@code STARTUP_TAINTS}: {@code key} or {@code key:effect})
 * @param stopGrace how long the process may take to clean up after SIGTERM; below the pod's
 *     {@code terminationGracePeriodSeconds}, so that it exits before the kubelet kills it
 */
public record AgentSettings(String namespace, int healthPort, Duration readyTimeout, Duration handlersTimeout,
        Duration labelSettle, Duration labelTimeout, List<String> startupTaints, Duration stopGrace) {

    /** The namespace when {@code POD_NAMESPACE} is not set (the generated manifests' default). */
    public static final String DEFAULT_NAMESPACE = "kube-system";

    public AgentSettings {
        requireNonNull(namespace, "namespace");
        requireNonNull(readyTimeout, "readyTimeout");
        requireNonNull(handlersTimeout, "handlersTimeout");
        requireNonNull(labelSettle, "labelSettle");
        requireNonNull(labelTimeout, "labelTimeout");
        startupTaints = List.copyOf(requireNonNull(startupTaints, "startupTaints"));
        requireNonNull(stopGrace, "stopGrace");
        if (namespace.isBlank()) {
            throw new IllegalArgumentException("namespace is blank");
        }
        if (healthPort < 0 || healthPort > 65_535) {
            throw new IllegalArgumentException("healthPort " + healthPort + " is not a port");
        }
    }

    /**
     * kata-deploy's limits: Ready within 300 s, handlers within 120 s; labels holding for 10 s within 120 s; 590 s to clean
     * up after SIGTERM (the generated DaemonSet's grace period is 600 s).
     */
    public static AgentSettings defaults() {
        return new AgentSettings(DEFAULT_NAMESPACE, HealthServer.DEFAULT_PORT, Duration.ofSeconds(300),
                Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(120), List.of(),
                Duration.ofSeconds(590));
    }

    /**
     * The defaults with the spec's probe port ({@code HEALTH_PORT}, read and checked by the spec loader) and
     * {@code POD_NAMESPACE} and {@code STARTUP_TAINTS} (comma- or space-separated) taken from {@code env}.
     */
    public static AgentSettings fromEnvironment(DeploySpec spec, Map<String, String> env) {
        AgentSettings d = defaults();
        String namespace = env.getOrDefault("POD_NAMESPACE", "").strip();
        List<String> taints = new ArrayList<>();
        for (String t : env.getOrDefault("STARTUP_TAINTS", "").split("[,\\s]+")) {
            if (!t.isBlank()) {
                taints.add(t.strip());
            }
        }
        return new AgentSettings(namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace, spec.extras().healthPort(),
                d.readyTimeout(), d.handlersTimeout(), d.labelSettle(), d.labelTimeout(), taints, d.stopGrace());
    }

    /** These settings with other waits; handy in tests. */
    public AgentSettings withWaits(Duration ready, Duration handlers, Duration settle, Duration labels) {
        return new AgentSettings(namespace, healthPort, ready, handlers, settle, labels, startupTaints, stopGrace);
    }

    /** These settings with another probe port. */
    public AgentSettings withHealthPort(int port) {
        return new AgentSettings(namespace, port, readyTimeout, handlersTimeout, labelSettle, labelTimeout, startupTaints,
                stopGrace);
    }

    /** These settings with other startup taints. */
    public AgentSettings withStartupTaints(List<String> taints) {
        return new AgentSettings(namespace, healthPort, readyTimeout, handlersTimeout, labelSettle, labelTimeout, taints,
                stopGrace);
    }
}
