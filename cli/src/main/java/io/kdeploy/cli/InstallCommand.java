package io.kdeploy.cli;

import io.kdeploy.cli.agent.ClusterAgent;
import io.kdeploy.core.deploy.InstallReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdeploy install}: registers Kata's handlers with the node's container runtime and installs the artifacts
 * (DESIGN.md §1). Without a cluster ({@code --offline}, or no {@code NODE_NAME}) it works on the host only; with one it
 * runs the node agent's life cycle ({@link ClusterAgent#install}) until SIGTERM.
 */
@Command(
        name = "install",
        mixinStandardHelpOptions = true,
        description = "Installs Kata Containers on this node: artifacts, runtime handlers, a runtime restart when needed.",
        footer = {
            "%nExit codes: 0 done, 2 invalid spec or usage, 3 malformed host config file, 4 the runtime rejected the new"
                    + " config (rolled back), 5 node lock not acquired, 1 anything else.",
            "%nExample:",
            "  kdeploy install --offline --host-root / --artifacts kata-static.tar.zst --shims 'qemu clh' --output json"
        })
final class InstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Mixin
    SpecOptions options;

    @Option(names = "--verify", description = "Compare every artifact file by content (SHA-256), not by size and mtime.")
    boolean verify;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        NodeRun run = NodeRun.forCommand(command, options);
        if (ClusterAgent.applies(run.spec(), options.offline(), options.dryRun())) {
            return ClusterAgent.install(run.deployment(ProgressLine.forStderr(err, false)),
                    run.installRequest(false, verify), run.environment());
        }
        boolean json = options.output() == SpecOptions.Output.JSON;
        ProgressLine progress = ProgressLine.forStderr(err, !json);
        InstallReport report;
        try {
            report = run.deployment(progress).install(run.installRequest(false, verify));
        } finally {
            progress.finish();
        }
        Reports.printInstall(report, options.dryRun(), json, out, err);
        return 0;
    }
}
