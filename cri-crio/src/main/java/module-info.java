/** The CRI-O configurer. Exports nothing; provides a CriConfigurator. */
module io.kdeploy.cri.crio {
    requires io.kdeploy.core;

    provides io.kdeploy.core.spi.CriConfigurator with io.kdeploy.cri.crio.CrioConfigurator;
}
