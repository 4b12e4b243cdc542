/** What extenders implement: {@link io.kdeploy.core.spi.CriConfigurator}, {@link io.kdeploy.core.spi.Installer},
 * {@link io.kdeploy.core.spi.CleanupPolicy} and the narrow context types they receive. */
@NullMarked
package io.kdeploy.core.spi;

import org.jspecify.annotations.NullMarked;
