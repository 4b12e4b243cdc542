/** The Kubernetes adapter: maps the fabric8 model of DaemonSets and Nodes to kdeploy's cluster view. */
@NullMarked
package io.kdeploy.cli.kube;

import org.jspecify.annotations.NullMarked;
