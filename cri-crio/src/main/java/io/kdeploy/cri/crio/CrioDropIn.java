package io.kdeploy.cri.crio;

import io.kdeploy.core.CustomRuntime;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlEdit;
import io.kdeploy.core.toml.TomlEdit.SetValue;
import io.kdeploy.core.toml.TomlValues;
import java.util.ArrayList;
import java.util.List;

/** The content of the drop-ins an install writes, as edits of an empty document. Pure. */
final class CrioDropIn {
    /** {@code [crio] storage_option}. */
    static final KeyPath STORAGE_OPTION = KeyPath.of("crio", "storage_option");
    /** {@code [crio.runtime] log_level}. */
    static final KeyPath LOG_LEVEL = KeyPath.of("crio", "runtime", "log_level");
    /** {@code [crio.runtime.runtimes]}, one table per handler. */
    static final KeyPath RUNTIMES = KeyPath.of("crio", "runtime", "runtimes");
    /** The storage option kata-deploy sets for Kata (and every instance repeats; CRI-O merges the lists). */
    static final String SKIP_MOUNT_HOME = "overlay.skip_mount_home=true";
    /** The runtime root of every Kata handler. */
    static final String RUNTIME_ROOT = "/run/vc";

    private CrioDropIn() {}

    /**
     * The edits that make the handler drop-in: {@code [crio] storage_option}, then per shim
     * {@code [crio.runtime.runtimes.kata-<shim>[-sfx]]} with the keys in kata-deploy's order, and
     * {@code runtime_pull_image = true} for shims mapped to {@code guest-pull}; then the debug/devkit variants
     * ({@code kata-<shim>[-sfx]-debug}) and the custom runtimes, each with its own configuration.
     */
    static List<TomlEdit> handlerEdits(DeploySpec spec) {
        KataLayout layout = new KataLayout(spec);
        List<TomlEdit> edits = new ArrayList<>();
        edits.add(new SetValue(STORAGE_OPTION, TomlValues.stringArray(List.of(SKIP_MOUNT_HOME))));
        for (String shim : spec.shims()) {
            handler(edits, spec.handler(shim), layout.shimBinary(shim), layout.configPath(shim), spec.guestPull(shim));
        }
        for (String variant : spec.variants()) {
            for (String shim : spec.shims()) {
                handler(edits, spec.variantHandler(shim, variant), layout.shimBinary(shim),
                        layout.variantConfigPath(shim, variant), spec.guestPull(shim));
            }
        }
        for (CustomRuntime r : spec.extras().customRuntimes()) {
            handler(edits, r.handler(), layout.shimBinary(r.baseShim()), layout.customConfigPath(r),
                    "guest-pull".equals(r.pullType()));
        }
        return List.copyOf(edits);
    }

    private static void handler(List<TomlEdit> edits, String handler, String binary, String config, boolean guestPull) {
        KeyPath table = RUNTIMES.child(handler);
        edits.add(new SetValue(table.child("runtime_path"), TomlValues.string(binary)));
        edits.add(new SetValue(table.child("runtime_type"), TomlValues.string("vm")));
        edits.add(new SetValue(table.child("runtime_root"), TomlValues.string(RUNTIME_ROOT)));
        edits.add(new SetValue(table.child("runtime_config_path"), TomlValues.string(config)));
        edits.add(new SetValue(table.child("privileged_without_host_devices"), TomlValues.bool(true)));
        if (guestPull) {
            edits.add(new SetValue(table.child("runtime_pull_image"), TomlValues.bool(true)));
        }
    }

    /** The edits that make the debug drop-in: {@code [crio.runtime] log_level = "debug"}. */
    static List<TomlEdit> debugEdits() {
        return List.of(new SetValue(LOG_LEVEL, TomlValues.string("debug")));
    }
}
