package io.kdeploy.cli;

import io.kdeploy.core.KdeployException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
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
        description = "Installs Kata Containers on a Kubernetes node and removes it again without hurting anything.")
public final class Main {
    /**
     * The subcommands, in the order {@code kdeploy --help} lists them. Building picocli's model of a command costs
     * reflection over its options, so a run registers only the subcommand it names (see {@link #commandLine}).
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(CommandLine.HelpCommand.class, InstallCommand.class,
            CleanupCommand.class, DecideCommand.class, ManifestsCommand.class, DemoCommand.class, PluginsCommand.class,
            ResetCommand.class, StageCommands.HostCheck.class, StageCommands.Artifacts.class, StageCommands.Cri.class,
            StageCommands.RevertCri.class, StageCommands.RemoveArtifacts.class);

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

    /**
     * picocli's built-in converters for types no kdeploy option has: picocli registers them by reflection in every command
     * line it builds, which loads and initialises {@code java.time}'s formatters and {@code java.sql} (~10 ms of each start).
     */
    static final String UNUSED_CONVERTERS = "java\\.(time|sql)\\..*";

    /**
     * Runs the command line and exits with its exit code (DESIGN.md §6). As the process's entry point it also tells picocli
     * to skip the {@link #UNUSED_CONVERTERS} (unless {@code picocli.converters.excludes} was set) and not to look for
     * Groovy's closure class (a class-path search that fails, ~2 ms; kdeploy has no Groovy).
     */
    public static void main(String[] args) {
        System.getProperties().putIfAbsent("picocli.converters.excludes", UNUSED_CONVERTERS);
        System.getProperties().putIfAbsent("picocli.disable.closures", "true");
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
        CommandLine cl = commandLine(args);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The command line for {@code args}: when they name a subcommand, only that one is registered (the start-up of an
     * unchanged re-install is mostly picocli's model building); {@code --version} alone needs none; anything else (no
     * subcommand, {@code help}, a name picocli must report as unknown, with suggestions) gets all of them.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        List<String> given = Arrays.asList(args);
        String named = subcommandName(args);
        Class<?> only = null;
        for (Class<?> c : SUBCOMMANDS) {
            if (!"help".equals(named) && nameOf(c).equals(named)) {
                only = c;
            }
        }
        boolean versionOnly = named == null && (given.contains("--version") || given.contains("-V"))
                && !given.contains("--help") && !given.contains("-h");
        if (only != null) {
            cl.addSubcommand(only);
        } else if (!versionOnly) {
            SUBCOMMANDS.forEach(cl::addSubcommand);
        }
        return cl;
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /** The first argument that is not a global option or its value: the subcommand's name, or null when there is none. */
    private static @Nullable String subcommandName(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ("--plugin-path".equals(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    /**
     * Prints an error as one paragraph and maps it to its exit code. A class rather than a method reference: a lambda
     * whose interface is picocli's (class-file version 49) keeps picocli out of a static class-data sharing archive.
     */
    private static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
            return handle(ex, cl, parsed);
        }
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
