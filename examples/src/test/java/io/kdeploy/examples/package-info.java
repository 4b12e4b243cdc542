/** Tests that compile and run every example. */
@NullMarked
package io.kdeploy.examples;

import org.jspecify.annotations.NullMarked;
