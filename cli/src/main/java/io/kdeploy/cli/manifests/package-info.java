/**
 * The Kubernetes objects a user applies to run kdeploy as a DaemonSet, built with fabric8's model from the deployment spec:
 * {@link io.kdeploy.cli.manifests.Manifests}.
 */
@NullMarked
package io.kdeploy.cli.manifests;

import org.jspecify.annotations.NullMarked;
