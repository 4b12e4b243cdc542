/** The CRI-O configurer: Kata handlers through crio.conf.d drop-ins. */
@NullMarked
package io.kdeploy.cri.crio;

import org.jspecify.annotations.NullMarked;
