package io.kdeploy.core;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * One line of kata-deploy's {@code custom-runtimes.list} ({@code handler:baseShim:snapshotter:pullType}) plus its optional
 * {@code dropin-<handler>.toml}: a handler of its own, running a base shim's binary with an isolated copy of that shim's
 * configuration in {@code custom-runtimes/<handler>/} and the user's drop-in as {@code config.d/50-overrides.toml}.
 *
 * @param handler the runtime handler name, e.g. {@code kata-qemu-gpu-small}
 * @param baseShim the shim whose binary and base configuration it uses, e.g. {@code qemu-nvidia-gpu}
 * @param snapshotter the containerd snapshotter for the handler ({@code nydus} becomes this install's
 *     {@code nydus-for-kata-tee[-<suffix>]}), {@code ""} for the default
 * @param pullType {@code guest-pull} (CRI-O's {@code runtime_pull_image}) or {@code ""}
 * @param dropIn the content of {@code dropin-<handler>.toml}, {@code ""} when there is none
 */
public record CustomRuntime(String handler, String baseShim, String snapshotter, String pullType, String dropIn) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public CustomRuntime {
        requireNonNull(handler, "handler");
        requireNonNull(baseShim, "baseShim");
        requireNonNull(snapshotter, "snapshotter");
        requireNonNull(pullType, "pullType");
        requireNonNull(dropIn, "dropIn");
        if (!NAME.matcher(handler).matches()) {
            throw new InvalidSpecException("Custom runtime handler '" + handler + "' is not valid: use 1-63 lowercase"
                    + " letters, digits and '-', starting and ending with a letter or digit (it names a RuntimeClass handler"
                    + " and a directory).");
        }
        if (!pullType.isEmpty() && !pullType.equals("guest-pull")) {
            throw new InvalidSpecException("Custom runtime '" + handler + "' has pull type '" + pullType + "'. The only pull"
                    + " type is guest-pull; leave the field empty for the runtime's default pull.");
        }
    }
}
