package io.kdeploy.cli;

import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.HostRoot;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the job-mode staged actions share (kata-deploy's {@code install-stage-*} and {@code cleanup-stage-*}): the spec
 * options, no Kubernetes API at all, the runtime from {@code --runtime-version}, {@value #RUNTIME_VERSION_VARIABLE} or the
 * host's files, and the {@value #MACHINE_ID_VARIABLE} guard against a node name reused by another machine.
 */
abstract class StageCommand implements Callable<Integer> {
    /** The node's {@code containerRuntimeVersion}, passed to the Job by whoever renders it. */
    static final String RUNTIME_VERSION_VARIABLE = "CONTAINER_RUNTIME_VERSION";

    /** The machine the Job was made for; when set it must equal the host's {@code /etc/machine-id}. */
    static final String MACHINE_ID_VARIABLE = "NODE_MACHINE_ID";

    @Spec
    CommandSpec command;

    @Mixin
    SpecOptions options;

    @Option(names = "--node-machine-id", paramLabel = "ID",
            description = "The machine this run is meant for (overrides NODE_MACHINE_ID); must equal the host's"
                    + " /etc/machine-id.")
    @Nullable String machineId;

    private final Map<String, String> environment;

    /** A stage reading the process environment. */
    StageCommand() {
        this(System.getenv());
    }

    /** A stage reading {@code environment} ({@code HOST_EXEC_PREFIX}, {@code CONTAINER_RUNTIME_VERSION}, …). */
    StageCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public final Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        NodeRun run = NodeRun.of(options, environment, CliContext.of(command).registry());
        run.printSpecWarnings(err);
        verifyMachineId(run, machineId != null ? machineId : environment.get(MACHINE_ID_VARIABLE));
        return stage(run, runtime(options, environment).orElse(null), out, err);
    }

    /** Runs the stage; the machine id is verified and the runtime resolved as far as flags and environment tell it. */
    abstract int stage(NodeRun run, @Nullable RuntimeInfo runtime, PrintWriter out, PrintWriter err);

    /** The command's name, the {@code action} of its JSON line. */
    final String action() {
        return command.name();
    }

    /** True with {@code --output json}. */
    final boolean json() {
        return options.output() == SpecOptions.Output.JSON;
    }

    /**
     * The runtime from {@code --runtime-version}, else from {@value #RUNTIME_VERSION_VARIABLE}; empty to detect it.
     *
     * @throws InvalidSpecException when the value is not in {@code containerd://1.7.22} form
     */
    static Optional<RuntimeInfo> runtime(SpecOptions options, Map<String, String> environment) {
        Optional<RuntimeInfo> flag = options.runtimeVersion();
        if (flag.isPresent()) {
            return flag;
        }
        String value = environment.get(RUNTIME_VERSION_VARIABLE);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RuntimeInfo.parse(value));
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException(RUNTIME_VERSION_VARIABLE + "='" + value + "' is not a runtime version: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Checks that this host is the machine the run was made for.
     *
     * @throws InvalidSpecException when {@code expected} is set and differs from {@code <host-root>/etc/machine-id} (or the
     *     host has none) (exit 2)
     */
    static void verifyMachineId(NodeRun run, @Nullable String expected) {
        if (expected == null || expected.isBlank()) {
            return;
        }
        Optional<Bytes> file = HostRoot.of(run.options().hostRoot()).read("/etc/machine-id");
        String actual = file.map(b -> b.asUtf8().strip()).orElse("");
        if (!actual.equals(expected.strip())) {
            throw new InvalidSpecException(MACHINE_ID_VARIABLE + " is '" + expected.strip() + "' but "
                    + run.options().hostRoot().resolve("etc/machine-id") + " says '"
                    + (file.isEmpty() ? "(no such file)" : actual) + "': this Job was made for another machine that"
                    + " had this node's name. Nothing was touched. Render the Job again for this node ('kdeploy manifests"
                    + " --mode job --machine-id NODE=ID') or drop " + MACHINE_ID_VARIABLE + ".");
        }
    }
}
