/**
 * The port through which the node agent reaches the Kubernetes API ({@link io.kdeploy.core.cluster.ClusterPort}), and
 * the values it exchanges. Core defines it so that it stays free of any Kubernetes client; the command line implements it.
 */
@NullMarked
package io.kdeploy.core.cluster;

import org.jspecify.annotations.NullMarked;
