/**
 * The library entry point: {@link io.kdeploy.core.deploy.NodeDeployment} installs Kata on one host root and takes it off
 * again (DESIGN.md §1), tying the spec, the configurers, the artifact installer and the plan applier together.
 */
@NullMarked
package io.kdeploy.core.deploy;

import org.jspecify.annotations.NullMarked;
