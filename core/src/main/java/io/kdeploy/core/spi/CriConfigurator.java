package io.kdeploy.core.spi;

import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.ConfigPlan;
import java.util.Optional;

/**
 * Registers Kata's runtime handlers in one container runtime family's configuration and takes them out again. Found with
 * {@link java.util.ServiceLoader}; implementations have a public no-argument constructor that does no I/O.
 *
 * <p>{@link #plan} and {@link #planRevert} are pure: they read only the context and return a value; core applies it.
 */
public interface CriConfigurator {

    /** A stable lowercase id, e.g. {@code containerd} or {@code crio}. */
    String id();

    /** True when this configurer handles the given runtime. */
    boolean supports(RuntimeInfo runtime);

    /**
     * Recognises the runtime of a node from its files alone (used by {@code --runtime auto} without a runtime version).
     * The default recognises nothing.
     */
    default Optional<RuntimeInfo> detect(NodeFiles files) {
        return Optional.empty();
    }

    /**
     * Plans the install: the files to write so that the spec's handlers are registered, computed from each file's baseline
     * (so a second install with other shims drops the handlers no longer wanted). Installing on an installed node with the
     * same spec yields a plan without changes.
     *
     * @throws io.kdeploy.core.MalformedConfigException when a host file cannot be parsed
     * @throws io.kdeploy.core.InvalidSpecException when the spec cannot be applied to this runtime
     */
    ConfigPlan plan(PlanContext context);

    /** Plans the removal of everything this install added: every recorded file goes back to its baseline. */
    ConfigPlan planRevert(PlanContext context);

    /**
     * The systemd unit that runs this runtime on the node ({@code containerd}, {@code k3s-agent}, {@code crio}, …), for
     * {@code kdeploy reset}; empty when the runtime needs no restart (k0s reloads its drop-ins). The default names the
     * flavour's usual unit.
     */
    default Optional<String> runtimeUnit(RuntimeInfo runtime, NodeFiles files) {
        switch (runtime.flavour()) {
            case CONTAINERD:
                return Optional.of("containerd");
            case K3S:
                return Optional.of("k3s");
            case RKE2:
                return Optional.of("rke2-server");
            case MICROK8S:
                return Optional.of("snap.microk8s.daemon-containerd");
            case CRIO:
                return Optional.of("crio");
            case K0S:
            default:
                return Optional.empty();
        }
    }
}
