/** The containerd configurer: plain containerd 1.6 to 2.x, k3s, rke2, k0s and microk8s. */
@NullMarked
package io.kdeploy.cri.containerd;

import org.jspecify.annotations.NullMarked;
