package io.kdeploy.cli;

import io.kdeploy.cli.demo.Demo;
import io.kdeploy.core.Kdeploy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdeploy demo}: the whole life cycle on a throw-away node directory (see {@link Demo}). Exits 0 when every check
 * passed.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Runs the whole life cycle on a throw-away node directory in a few seconds: install, re-install,"
                + " cleanup decisions, cleanup, and the proof that every file is byte-identical to the start. Touches"
                + " nothing outside a temporary directory.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Option(names = "--keep", description = "Keep the node directory afterwards and print its path.")
    boolean keep;

    @Option(names = "--color", negatable = true,
            description = "Colours and a progress line (default: on a terminal, unless NO_COLOR is set).")
    Boolean color;

    @Override
    public Integer call() {
        boolean terminal = color != null ? color : System.console() != null && System.getenv("NO_COLOR") == null;
        return new Demo(command.commandLine().getOut(), terminal, Kdeploy.discover(), keep).run();
    }
}
