/** Loading a {@link io.kdeploy.core.DeploySpec} from flags, kata-deploy's environment variables and a YAML file. */
@NullMarked
package io.kdeploy.core.spec;

import org.jspecify.annotations.NullMarked;
