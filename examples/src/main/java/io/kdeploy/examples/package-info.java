/** Runnable, tested examples of embedding and extending kdeploy. */
@NullMarked
package io.kdeploy.examples;

import org.jspecify.annotations.NullMarked;
