package io.kdeploy.examples;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.InstallRecords;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.PlanContext;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Embedding kdeploy without the CLI: plans an install of Kata's handlers for a node directory and prints the change as a
 * unified diff. Nothing is written.
 *
 * <pre>
 * java -cp ... io.kdeploy.examples.EmbeddingExample /tmp/node containerd://1.7.22 qemu clh
 * </pre>
 */
public final class EmbeddingExample {
    private EmbeddingExample() {}

    /** {@code <node dir> [<runtime version> [<shim>...]]}; defaults: {@code containerd://1.7.22 qemu}. */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: EmbeddingExample <node dir> [<runtime version, e.g. containerd://1.7.22> [<shim>...]]");
            System.exit(2);
        }
        String runtime = args.length > 1 ? args[1] : "containerd://1.7.22";
        String[] shims = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length) : new String[] {"qemu"};
        printPlan(Path.of(args[0]), RuntimeInfo.parse(runtime), DeploySpec.of(shims), System.out);
    }

    /** Plans the install of {@code spec} on the node at {@code nodeDir} and prints its diff and a summary line. */
    public static ConfigPlan printPlan(Path nodeDir, RuntimeInfo runtime, DeploySpec spec, PrintStream out) {
        Kdeploy kdeploy = Kdeploy.discover();                        // every configurer on the class path
        CriConfigurator configurator = kdeploy.configurerFor(runtime);
        HostRoot root = HostRoot.of(nodeDir);                        // node paths resolve under the directory
        PlanContext context = new PlanContext(root, spec, runtime,
                InstallRecords.baselinesFor(root, spec.instance()), false);  // an earlier install's record, if any
        ConfigPlan plan = configurator.plan(context);                // pure: reads, never writes
        out.print(plan.toUnifiedDiff());
        out.println(plan.isEmpty()
                ? "nothing to do: " + spec.handlers() + " already registered"
                : "would change " + plan.changedPaths() + ", restart " + plan.restartUnit() + ", register " + plan.handlers());
        return plan;
    }
}
