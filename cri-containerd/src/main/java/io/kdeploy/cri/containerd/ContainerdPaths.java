package io.kdeploy.cri.containerd;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.spi.NodeFiles;
import java.util.List;
import java.util.Optional;

/** The node paths the containerd configurer reads and writes, per flavour (DESIGN.md §4). */
final class ContainerdPaths {
    /** Plain containerd's main configuration. */
    static final String CONTAINERD_MAIN = "/etc/containerd/config.toml";
    /** The drop-in directory containerd 2.2's packaged config imports. */
    static final String CONF_D = "/etc/containerd/conf.d";
    /** k0s's containerd configuration (its {@code version} decides the drop-in's). */
    static final String K0S_CONFIG = "/etc/k0s/containerd.toml";
    /** The directory k0s merges drop-ins from by itself. */
    static final String K0S_DROP_IN_DIR = "/etc/k0s/containerd.d";
    /** microk8s's template, rendered into containerd's config on every start of the snap. */
    static final String MICROK8S_TEMPLATE = "/var/snap/microk8s/current/args/containerd-template.toml";
    /** Where a containerd binary may live on the host, in the order they are tried. */
    static final List<String> CONTAINERD_BINARIES = List.of("/usr/bin/containerd", "/usr/local/bin/containerd");

    private ContainerdPaths() {}

    /** Plain containerd's main configuration for a spec: {@code /etc/containerd/<CONTAINERD_CONFIG_FILE_NAME>}. */
    static String main(DeploySpec spec) {
        return "/etc/containerd/" + spec.extras().containerdConfigFileName();
    }

    /** {@code zz-kata-deploy-user[-<suffix>].toml}: the user's drop-in, beside ours and sorted after it. */
    static String userDropInName(DeploySpec spec) {
        return "zz-kata-deploy-user" + spec.dashSuffix() + ".toml";
    }

    /** {@code kata-deploy[-<suffix>].toml}: the name of every drop-in this install writes. */
    static String dropInName(DeploySpec spec) {
        return "kata-deploy" + spec.dashSuffix() + ".toml";
    }

    /** The directory of the rendered containerd config of k3s or rke2. */
    static String rancherDir(Flavour flavour) {
        return "/var/lib/rancher/" + flavour.id() + "/agent/etc/containerd";
    }

    /** The rendered config of k3s or rke2 (generated on every start; read, never written). */
    static String rancherRendered(Flavour flavour) {
        return rancherDir(flavour) + "/config.toml";
    }

    /** The file whose schema {@code version} decides how a flavour is configured. */
    static String versionSource(Flavour flavour) {
        switch (flavour) {
            case K3S:
            case RKE2:
                return rancherRendered(flavour);
            case K0S:
                return K0S_CONFIG;
            case MICROK8S:
                return MICROK8S_TEMPLATE;
            case CONTAINERD:
            case CRIO:
            default:
                return CONTAINERD_MAIN;
        }
    }

    /** The drop-in an install of containerd 2.0/2.1 writes under its own dest: {@code <dest>/containerd/config.d/...}. */
    static String destDropIn(DeploySpec spec) {
        return destDropInDir(spec) + "/" + dropInName(spec);
    }

    /** {@code <dest>/containerd/config.d}. */
    static String destDropInDir(DeploySpec spec) {
        return spec.destDir() + "/containerd/config.d";
    }

    /**
     * The first containerd binary found on the host, as a node path. Looked up by listing its directory, so the binary is
     * never read.
     */
    static Optional<String> containerdBinary(NodeFiles files) {
        return CONTAINERD_BINARIES.stream().filter(p -> {
            int slash = p.lastIndexOf('/');
            return files.list(p.substring(0, slash)).contains(p.substring(slash + 1)) && !files.isDirectory(p);
        }).findFirst();
    }
}
