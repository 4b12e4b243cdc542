/** The cluster model the cleanup decision reads, node selection, and the built-in cleanup policies. */
@NullMarked
package io.kdeploy.core.cleanup;

import org.jspecify.annotations.NullMarked;
