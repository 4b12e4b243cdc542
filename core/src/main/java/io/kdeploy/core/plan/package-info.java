/** Config plans as values, their atomic application to a host root, install records and exact undo. */
@NullMarked
package io.kdeploy.core.plan;

import org.jspecify.annotations.NullMarked;
