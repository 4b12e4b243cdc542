/**
 * The Kubernetes node agent: the install life cycle of a kdeploy pod (claim the node, install, wait for the runtime to
 * serve the handlers, label, serve the probes, and on SIGTERM clean up as the cleanup policy decides), and the cluster-aware
 * {@code kdeploy cleanup}.
 */
@NullMarked
package io.kdeploy.cli.agent;

import org.jspecify.annotations.NullMarked;
