/**
 * {@code kdeploy demo}: the whole life cycle of an install on a throw-away node directory, in a few seconds, with checks
 * after every step.
 */
@NullMarked
package io.kdeploy.cli.demo;

import org.jspecify.annotations.NullMarked;
