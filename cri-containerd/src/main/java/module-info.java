/** The containerd configurer (plain containerd, k3s, rke2, k0s, microk8s). Exports nothing; provides a CriConfigurator. */
module io.kdeploy.cri.containerd {
    requires io.kdeploy.core;

    provides io.kdeploy.core.spi.CriConfigurator with io.kdeploy.cri.containerd.ContainerdConfigurator;
}
