/** The format-preserving TOML engine: key paths, edit operations and the document that applies them. */
@NullMarked
package io.kdeploy.core.toml;

import org.jspecify.annotations.NullMarked;
