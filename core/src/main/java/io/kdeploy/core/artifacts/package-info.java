/**
 * The artifact installer: Kata's {@code /opt/kata} tree copied from a directory or an archive onto a node, only what
 * differs, each file atomically, with a manifest that drives an exact uninstall, and the per-shim Kata configurations with
 * their {@code config.d/} drop-ins.
 */
@NullMarked
package io.kdeploy.core.artifacts;

import org.jspecify.annotations.NullMarked;
