package io.kdeploy.cri.crio;

import io.kdeploy.core.DeploySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Where CRI-O keeps its configuration on a node, and the names of the files an install owns (node paths). */
final class CrioFiles {
    /** The main configuration file; CRI-O reads it before every drop-in (lowest precedence). */
    static final String MAIN_CONFIG = "/etc/crio/crio.conf";
    /** The drop-in directory, read recursively in lexical order; a later file overrides an earlier one. */
    static final String DROP_IN_DIR = "/etc/crio/crio.conf.d";
    /** Where distribution packages ({@code /usr/bin}) and the release tarball ({@code /usr/local/bin}) put the binary. */
    static final List<String> BINARIES = List.of("/usr/bin/crio", "/usr/local/bin/crio");
    /** Where a {@code crio.service} unit may live. */
    static final List<String> UNITS = List.of(
            "/etc/systemd/system/crio.service",
            "/usr/lib/systemd/system/crio.service",
            "/lib/systemd/system/crio.service",
            "/usr/local/lib/systemd/system/crio.service");
    /** CRI-O's version files ({@code version_file_persist}, {@code version_file}): the JSON string of its semver. */
    static final List<String> VERSION_FILES = List.of("/var/lib/crio/version", "/var/run/crio/version", "/run/crio/version");
    /** The systemd unit to restart. */
    static final String UNIT = "crio";

    /** The drop-ins of kata-deploy and of every kdeploy instance: {@code 99-kata-deploy[-sfx]}, {@code 100-kata-deploy-debug[-sfx]}. */
    private static final Pattern KATA_INSTALL_FILE =
            Pattern.compile("(99-kata-deploy|100-kata-deploy-debug)(-[a-z0-9]([-a-z0-9]*[a-z0-9])?)?");

    private CrioFiles() {}

    /** {@code 99-kata-deploy[-<suffix>]}: kata-deploy's own name, without extension, so an upgrade replaces its file. */
    static String dropInName(DeploySpec spec) {
        return "99-kata-deploy" + spec.dashSuffix();
    }

    /** {@code 100-kata-deploy-debug[-<suffix>]}: one per instance (kata-deploy shares an unsuffixed {@code 100-debug}). */
    static String debugDropInName(DeploySpec spec) {
        return "100-kata-deploy-debug" + spec.dashSuffix();
    }

    /** The node path of an entry of the drop-in directory. */
    static String inDropInDir(String name) {
        return DROP_IN_DIR + "/" + name;
    }

    /** True for a top-level drop-in written by kata-deploy or by a kdeploy instance (this one or another). */
    static boolean isKataInstallFile(String dropInEntry) {
        return KATA_INSTALL_FILE.matcher(dropInEntry).matches();
    }

    /** Compares names as CRI-O (Go's {@code filepath.Walk}) orders them: by their UTF-8 bytes. */
    static int compareNames(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
