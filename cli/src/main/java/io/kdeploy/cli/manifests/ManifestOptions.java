package io.kdeploy.cli.manifests;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.InvalidSpecException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What the manifests need beyond the deployment spec.
 *
 * @param namespace where the DaemonSet and its ServiceAccount live
 * @param image the agent image (built from {@code src/deploy/Dockerfile})
 * @param healthPort {@code HEALTH_PORT}, probed by the kubelet
 * @param gracePeriod the pod's {@code terminationGracePeriodSeconds}: long enough for cleanup to restart the container
 *     runtime and wait for it (k3s and rke2 restart the kubelet with it)
 */
public record ManifestOptions(String namespace, String image, int healthPort, Duration gracePeriod) {
    /** The image {@code src/deploy/kdeploy.yaml} refers to. */
    public static final String DEFAULT_IMAGE = "ghcr.io/kdeploy/kdeploy:0.1.0";

    /** kata-deploy's grace period: 10 minutes. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(600);

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public ManifestOptions {
        requireNonNull(namespace, "namespace");
        requireNonNull(image, "image");
        requireNonNull(gracePeriod, "gracePeriod");
        if (!DNS_LABEL.matcher(namespace).matches()) {
            throw new InvalidSpecException("Namespace '" + namespace + "' is not a valid Kubernetes namespace name: use"
                    + " lowercase letters, digits and '-', e.g. kube-system.");
        }
        if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidSpecException("Image '" + image + "' is not a valid image reference, e.g. "
                    + DEFAULT_IMAGE + ".");
        }
        if (healthPort < 1 || healthPort > 65535) {
            throw new InvalidSpecException("HEALTH_PORT " + healthPort + " is not a TCP port (1-65535).");
        }
        if (gracePeriod.toSeconds() < 60) {
            throw new InvalidSpecException("A termination grace period of " + gracePeriod.toSeconds() + " s is too short"
                    + " for cleanup to restart the container runtime; use at least 60 s (default 600 s).");
        }
    }

    /** {@code kube-system}, {@link #DEFAULT_IMAGE}, port 8090, 600 s. */
    public static ManifestOptions defaults() {
        return new ManifestOptions("kube-system", DEFAULT_IMAGE, 8090, DEFAULT_GRACE);
    }

    /** These options with another image. */
    public ManifestOptions withImage(String newImage) {
        return new ManifestOptions(namespace, newImage, healthPort, gracePeriod);
    }

    /** These options with another namespace. */
    public ManifestOptions withNamespace(String newNamespace) {
        return new ManifestOptions(newNamespace, image, healthPort, gracePeriod);
    }
}
