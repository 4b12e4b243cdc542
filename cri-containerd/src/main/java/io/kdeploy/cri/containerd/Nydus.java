package io.kdeploy.cri.containerd;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.plan.UnitActions;
import io.kdeploy.core.spi.PlanContext;
import java.util.List;

/**
 * The host side of the nydus snapshotter ({@code nydus} in {@code EXPERIMENTAL_SETUP_SNAPSHOTTER}), as kata-deploy sets it
 * up (reference §4.3): the systemd unit {@code nydus-for-kata-tee[-<suffix>].service}, started before and wanted by the CRI
 * unit, and its configuration {@code <dest>/nydus-for-kata-tee[-<suffix>]/config-guest-pulling.toml} (proxy fs driver, Kata
 * volumes, root {@code /var/lib/nydus-for-kata-tee[-<suffix>]}, socket under {@code /run}). Both are planned files like the
 * CRI config, so they are recorded, written atomically and reverted exactly; the unit is started and stopped through
 * {@link io.kdeploy.core.spi.HostUnits} as {@link UnitActions} derives it from the plan. The snapshotter's data directory
 * under {@code /var/lib} is never written nor removed (wiping it leaves containerd's metadata out of sync). The binaries
 * are run from the Kata tree: {@code <dest>/bin/containerd-nydus-grpc} and {@code <dest>/bin/nydus-overlayfs}.
 */
final class Nydus {
    private static final int FILE_MODE = 0644;

    private Nydus() {}

    /** {@code nydus-for-kata-tee[-<suffix>]}: the unit, proxy plugin and directory name of this install's nydus. */
    static String name(DeploySpec spec) {
        return "nydus-for-kata-tee" + spec.dashSuffix();
    }

    /** The configuration file the unit runs with (node path). */
    static String configPath(DeploySpec spec) {
        return spec.destDir() + "/" + name(spec) + "/config-guest-pulling.toml";
    }

    /** The unit file and the configuration, when the spec sets nydus up; none otherwise. */
    static List<FileEdit> edits(PlanContext ctx, String criUnit) {
        DeploySpec spec = ctx.spec();
        if (!spec.extras().setsUp("nydus")) {
            return List.of();
        }
        String name = name(spec);
        String bin = spec.destDir() + "/bin";
        String config = "# Written by kdeploy for the nydus snapshotter of Kata Containers (guest pull).\n"
                + "version = 1\n"
                + "root = \"/var/lib/" + name + "\"\n"
                + "address = \"/run/" + name + "/containerd-nydus-grpc.sock\"\n"
                + "\n[daemon]\n"
                + "fs_driver = \"proxy\"\n"
                + "\n[snapshot]\n"
                + "enable_kata_volume = true\n"
                + "nydus_overlayfs_path = \"" + bin + "/nydus-overlayfs\"\n";
        String unit = "# Written by kdeploy (instance " + spec.instance() + "); 'kdeploy cleanup' removes it.\n"
                + "[Unit]\n"
                + "Description=Nydus snapshotter for Kata Containers (" + name + ")\n"
                + "Before=" + criUnit + ".service\n"
                + "\n[Service]\n"
                + "ExecStart=" + bin + "/containerd-nydus-grpc --config " + configPath(spec) + " --log-to-stdout\n"
                + "Restart=always\n"
                + "\n[Install]\n"
                + "WantedBy=" + criUnit + ".service\n";
        return List.of(file(ctx, UnitActions.unitFile(name), unit), file(ctx, configPath(spec), config));
    }

    private static FileEdit file(PlanContext ctx, String path, String text) {
        return new FileEdit(path, ctx.current(path), Bytes.utf8(text), ctx.baseline(path), FILE_MODE, List.of());
    }
}
