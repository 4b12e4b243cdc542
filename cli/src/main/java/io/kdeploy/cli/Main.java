package io.kdeploy.cli;

import io.kdeploy.core.KdeployException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/** The {@code kdeploy} command: puts Kata Containers on a Kubernetes node and takes it off again, safely. */
@Command(
        name = "kdeploy",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Installs Kata Containers on a Kubernetes node and removes it again without hurting anything.",
        subcommands = {CommandLine.HelpCommand.class, InstallCommand.class, CleanupCommand.class, DecideCommand.class,
            ManifestsCommand.class, DemoCommand.class, PluginsCommand.class, ResetCommand.class,
            StageCommands.HostCheck.class, StageCommands.Artifacts.class, StageCommands.Cri.class,
            StageCommands.RevertCri.class, StageCommands.RemoveArtifacts.class})
public final class Main {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error (an expected error prints one paragraph without it).")
    boolean debug;

    private final CliContext context = new CliContext();

    /** {@code --plugin-path DIR}: load configurer and cleanup-policy jars from a directory. */
    @Option(names = "--plugin-path", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Load configurer and cleanup-policy jars from this directory.")
    void pluginPath(Path dir) {
        context.addPluginDir(dir);
    }

    /** The registry and settings every command of this run shares. */
    CliContext context() {
        return context;
    }

    /** Runs the command line and exits with its exit code (DESIGN.md §6). */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line on {@code System.out}/{@code System.err} and returns the exit code, for tests and embedding. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs the command line with the given output and error writers and returns the exit code. A {@link KdeployException}
     * from any subcommand prints its message (one paragraph) on {@code err} and exits with {@link KdeployException#exitCode()};
     * any other exception exits 1. The stack trace is printed only with {@code --debug}.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(Main::handle);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static int handle(Exception ex, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean debug = debugRequested(parsed);
        int code;
        if (ex instanceof KdeployException) {
            err.println(ex.getMessage());
            code = ((KdeployException) ex).exitCode();
        } else {
            err.println("kdeploy " + cl.getCommandName() + ": unexpected error: " + ex
                    + (debug ? "" : ". Run again with --debug to see the stack trace."));
            code = 1;
        }
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static boolean debugRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"kdeploy " + (v == null ? "development build" : v)};
        }
    }
}
