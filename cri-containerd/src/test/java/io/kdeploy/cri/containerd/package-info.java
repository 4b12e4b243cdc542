/** Tests of the containerd configurer: golden corpus, flavour detection, and real containerd (the {@code *IT} classes). */
@NullMarked
package io.kdeploy.cri.containerd;

import org.jspecify.annotations.NullMarked;
