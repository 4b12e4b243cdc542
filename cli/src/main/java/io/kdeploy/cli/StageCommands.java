package io.kdeploy.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.artifacts.ProgressListener;
import io.kdeploy.core.deploy.CleanupReport;
import io.kdeploy.core.deploy.CleanupRequest;
import io.kdeploy.core.deploy.InstallReport;
import io.kdeploy.core.deploy.InstallRequest;
import io.kdeploy.core.deploy.NodeDeployment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The job-mode staged actions (kata-deploy's {@code install-stage-*} and {@code cleanup-stage-*}), run by the per-node Jobs
 * of {@code kdeploy manifests --mode job}: without a Kubernetes API token, each idempotent, each restarting the runtime only
 * when its configuration bytes changed, so that a retried Job converges without a restart.
 */
final class StageCommands {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String EXIT_CODES = "%nExit codes: 0 done, 2 invalid spec, usage or NODE_MACHINE_ID mismatch,"
            + " 3 malformed host config file, 4 the runtime rejected the new config (rolled back), 5 node lock not"
            + " acquired, 1 anything else.";

    private StageCommands() {}

    /** The install request of a stage: the spec, the runtime, the artifacts, the flags. */
    static InstallRequest installRequest(NodeRun run, @Nullable RuntimeInfo runtime, boolean verify) {
        return run.installRequest(false, verify).withRuntime(runtime);
    }

    /** The cleanup request of a stage: {@code FULL}, because job mode's cleanup Job is the operator's decision. */
    static CleanupRequest cleanupRequest(NodeRun run, @Nullable RuntimeInfo runtime, String action) {
        return run.cleanupRequest(new CleanupDecision.Full(action + ": job mode's cleanup Job asked to remove this install"
                + " from the node."), Set.of()).withRuntime(runtime);
    }

    /** Prints an install stage's report as {@code install} does, its JSON line carrying {@code action}. */
    static void print(InstallReport r, String action, SpecOptions options, PrintWriter out, PrintWriter err) {
        StringWriter text = new StringWriter();
        Reports.printInstall(r, options.dryRun(), json(options), new PrintWriter(text), err);
        emit(text.toString(), action, options, out);
    }

    /** Prints a cleanup stage's report as {@code cleanup} does, its JSON line carrying {@code action}. */
    static void print(CleanupReport r, DeploySpec spec, String action, SpecOptions options, PrintWriter out,
            PrintWriter err) {
        StringWriter text = new StringWriter();
        Reports.printCleanup(r, spec, options.dryRun(), json(options), new PrintWriter(text), err);
        emit(text.toString(), action, options, out);
    }

    private static boolean json(SpecOptions options) {
        return options.output() == SpecOptions.Output.JSON;
    }

    /** Writes {@code text}; with {@code --output json} its last line (the JSON object) gets {@code action}. */
    private static void emit(String text, String action, SpecOptions options, PrintWriter out) {
        if (!json(options)) {
            out.print(text);
        } else {
            String body = text.stripTrailing();
            int cut = body.lastIndexOf('\n') + 1;
            out.print(body.substring(0, cut));
            out.println(withAction(body.substring(cut), action));
        }
        out.flush();
    }

    private static String withAction(String line, String action) {
        try {
            ObjectNode o = (ObjectNode) JSON.readTree(line);
            o.put("action", action);
            return o.toString();
        } catch (IOException e) {
            throw new IllegalStateException("a report's JSON line does not parse: " + line, e);
        }
    }

    /**
     * {@code install-stage-host-check}: read-only. Resolves the runtime (the declared flavour cross-checked against the
     * host), validates the spec against it and plans the runtime configuration (snapshotter and erofs host checks, a
     * parseable host config), then prints what it checked.
     */
    @Command(name = "install-stage-host-check", mixinStandardHelpOptions = true,
            description = "Job mode, first initContainer: checks, touching nothing, that this node can take the install.",
            footer = EXIT_CODES)
    static final class HostCheck extends StageCommand {
        HostCheck() {}

        HostCheck(Map<String, String> environment) {
            super(environment);
        }

        @Override
        int stage(NodeRun run, @Nullable RuntimeInfo runtime, PrintWriter out, PrintWriter err) {
            NodeDeployment deployment = run.deployment(ProgressListener.NONE);
            InstallRequest request = installRequest(run, runtime, false);
            RuntimeInfo resolved = deployment.runtime(request.runtime(), request.declaredFlavour());
            InstallReport plan = deployment.check(request);
            DeploySpec spec = run.spec();
            List<String> checks = new ArrayList<>();
            checks.add("spec: shims " + String.join(" ", spec.shims()) + ", default " + spec.defaultShim()
                    + (spec.suffix().isEmpty() ? "" : ", suffix " + spec.suffix()));
            checks.add("runtime: " + Reports.describe(resolved) + (runtime == null ? " (detected from the host's files)"
                    : " (given)") + run.options().runtime().map(f -> ", declared " + f.id() + " matches the host")
                    .orElse(""));
            checks.add("runtime configuration: plans cleanly for " + String.join(", ", plan.handlers())
                    + " (host config parses; snapshotter mapping, erofs kernel and version, custom runtimes fit the"
                    + " runtime; the multi-install suffix works in every config mode, drop-in or whole-file)");
            checks.add("planned changes: " + (plan.changedFiles().isEmpty() ? "none (already configured)"
                    : String.join(", ", plan.changedFiles())));
            plan.warnings().forEach(w -> err.println("warning: " + w));
            err.flush();
            if (json()) {
                ObjectNode o = JSON.createObjectNode();
                o.put("action", action());
                o.put("runtime", resolved.toRuntimeVersion());
                plan.handlers().forEach(o.putArray("handlers")::add);
                checks.forEach(o.putArray("checks")::add);
                plan.warnings().forEach(o.putArray("warnings")::add);
                out.println(o);
            } else {
                checks.forEach(c -> out.println("ok  " + c));
                out.println("Host check passed; nothing was touched.");
            }
            out.flush();
            return 0;
        }
    }

    /** {@code install-stage-artifacts}: the Kata artifacts under the node lock, no runtime configuration. */
    @Command(name = "install-stage-artifacts", mixinStandardHelpOptions = true,
            description = "Job mode, second initContainer: installs the Kata artifacts (only files that differ); no"
                    + " runtime configuration, no restart.",
            footer = EXIT_CODES)
    static final class Artifacts extends StageCommand {
        @Option(names = "--verify", description = "Compare every artifact file by content (SHA-256), not by size and mtime.")
        boolean verify;

        Artifacts() {}

        Artifacts(Map<String, String> environment) {
            super(environment);
        }

        @Override
        int stage(NodeRun run, @Nullable RuntimeInfo runtime, PrintWriter out, PrintWriter err) {
            print(run.deployment(ProgressListener.NONE).installArtifacts(installRequest(run, runtime, verify)), action(),
                    options, out, err);
            return 0;
        }
    }

    /**
     * {@code install-stage-cri}: registers the handlers; restarts the runtime only when its configuration bytes changed,
     * so a retried Job (the restart can kill it) converges without another restart.
     */
    @Command(name = "install-stage-cri", mixinStandardHelpOptions = true,
            description = "Job mode, main container: registers the runtime handlers; restarts the runtime only when its"
                    + " configuration changed.",
            footer = EXIT_CODES)
    static final class Cri extends StageCommand {
        Cri() {}

        Cri(Map<String, String> environment) {
            super(environment);
        }

        @Override
        int stage(NodeRun run, @Nullable RuntimeInfo runtime, PrintWriter out, PrintWriter err) {
            print(run.deployment(ProgressListener.NONE).installCri(installRequest(run, runtime, false)), action(), options,
                    out, err);
            return 0;
        }
    }

    /** {@code cleanup-stage-revert-cri}: takes the handlers out; restarts only when something was reverted. */
    @Command(name = "cleanup-stage-revert-cri", mixinStandardHelpOptions = true,
            description = "Job mode, cleanup initContainer: takes this install's handlers out of the runtime"
                    + " configuration; restarts the runtime only when something was reverted.",
            footer = EXIT_CODES)
    static final class RevertCri extends StageCommand {
        RevertCri() {}

        RevertCri(Map<String, String> environment) {
            super(environment);
        }

        @Override
        int stage(NodeRun run, @Nullable RuntimeInfo runtime, PrintWriter out, PrintWriter err) {
            print(run.deployment(ProgressListener.NONE).revertCri(cleanupRequest(run, runtime, action())), run.spec(),
                    action(), options, out, err);
            return 0;
        }
    }

    /** {@code cleanup-stage-remove-artifacts}: removes the artifacts; a no-op when the install directory is absent. */
    @Command(name = "cleanup-stage-remove-artifacts", mixinStandardHelpOptions = true,
            description = "Job mode, cleanup main container: removes this install's artifacts; nothing to do when its"
                    + " install directory is absent.",
            footer = EXIT_CODES)
    static final class RemoveArtifacts extends StageCommand {
        RemoveArtifacts() {}

        RemoveArtifacts(Map<String, String> environment) {
            super(environment);
        }

        @Override
        int stage(NodeRun run, @Nullable RuntimeInfo runtime, PrintWriter out, PrintWriter err) {
            print(run.deployment(ProgressListener.NONE).removeArtifacts(cleanupRequest(run, runtime, action())),
                    run.spec(), action(), options, out, err);
            return 0;
        }
    }
}
