package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A command that asks the real runtime whether it accepts the written configuration, e.g.
 * {@code containerd --config /etc/containerd/config.toml config dump}. Arguments are node paths; the applier runs it
 * through the host-exec prefix or resolves the binary under the host root.
 */
public record ValidationCommand(List<String> argv) {
    public ValidationCommand {
        argv = List.copyOf(requireNonNull(argv, "argv"));
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a validation command needs a program");
        }
    }
}
