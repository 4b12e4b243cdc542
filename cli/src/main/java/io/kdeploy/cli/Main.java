package io.kdeploy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kdeploy} command: puts Kata Containers on a Kubernetes node and takes it off again, safely. */
@Command(
        name = "kdeploy",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Installs Kata Containers on a Kubernetes node and removes it again without hurting anything.",
        subcommands = {CommandLine.HelpCommand.class, ManifestsCommand.class})
public final class Main {

    /** Runs the command line and exits with its exit code (DESIGN.md §6). */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code, for tests and embedding. */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
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
