/** JMH benchmarks of kdeploy's pure functions. */
@NullMarked
package io.kdeploy.benchmarks;

import org.jspecify.annotations.NullMarked;
