/** The kdeploy command and its Kubernetes adapter. */
@NullMarked
package io.kdeploy.cli;

import org.jspecify.annotations.NullMarked;
