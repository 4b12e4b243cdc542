/** What callers of kdeploy use: the registry, the value records and the exception hierarchy. */
@NullMarked
package io.kdeploy.core;

import org.jspecify.annotations.NullMarked;
