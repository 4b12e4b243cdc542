package io.kdeploy.cli;

import io.kdeploy.cli.agent.ClusterAgent;
import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.artifacts.ProgressListener;
import io.kdeploy.core.deploy.CleanupReport;
import io.kdeploy.core.deploy.NodeDeployment;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdeploy cleanup}: takes this install off the node. Without a cluster ({@code --offline}, or no {@code NODE_NAME})
 * the operator asked for it, so the decision is {@code FULL} for this install; with a cluster the {@code --policy} decides.
 */
@Command(
        name = "cleanup",
        mixinStandardHelpOptions = true,
        description = "Removes this install from the node: runtime handlers, artifacts, and a runtime restart when needed.",
        footer = {
            "%nExit codes: 0 done, 2 invalid spec or usage, 3 malformed host config file, 4 the runtime rejected the new"
                    + " config (rolled back), 5 node lock not acquired, 1 anything else.",
            "%nExample:",
            "  kdeploy cleanup --offline --host-root / --dry-run"
        })
final class CleanupCommand implements Callable<Integer> {
    /** The decision of an offline cleanup: the operator asked for it. */
    static final CleanupDecision OFFLINE = new CleanupDecision.Full("kdeploy cleanup without a cluster (--offline or no"
            + " NODE_NAME): the operator asked to remove this install from the host.");

    /** The placeholder decision of a cluster cleanup's request; the policy's decision replaces it. */
    private static final CleanupDecision DECIDED_BY_POLICY = new CleanupDecision.Skip("decided by --policy");

    @Spec
    CommandSpec command;

    @Mixin
    SpecOptions options;

    @Option(names = "--policy", paramLabel = "ID", defaultValue = "node-aware",
            description = "Cleanup policy with a cluster: node-aware (default) or three-stage, or the id of a policy on the"
                    + " class path. Without a cluster the cleanup is FULL for this install.")
    String policy = "node-aware";

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        NodeRun run = NodeRun.forCommand(command, options);
        run.policy(policy);
        NodeDeployment deployment = run.deployment(ProgressListener.NONE);
        CleanupReport report;
        if (run.offline()) {
            report = deployment.cleanup(run.cleanupRequest(OFFLINE, Set.of()));
        } else if (options.dryRun()) {
            report = deployment.cleanup(run.cleanupRequest(ClusterAgent.decide(run.spec(), policy, run.environment()),
                    Set.of()));
        } else {
            report = ClusterAgent.cleanup(deployment, run.cleanupRequest(DECIDED_BY_POLICY, Set.of()), policy,
                    run.environment()).report();
        }
        Reports.printCleanup(report, run.spec(), options.dryRun(), options.output() == SpecOptions.Output.JSON, out, err);
        return 0;
    }
}
