package io.kdeploy.cli;

import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.spi.CleanupPolicy;
import io.kdeploy.core.spi.CriConfigurator;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kdeploy plugins}: lists the configurers and cleanup policies this run knows, one per line
 * ({@code configurer <id> <class> <jar or directory>}), so an operator can check what {@code --plugin-path} loaded.
 * Providers that failed to load are listed on stderr.
 */
@Command(name = "plugins", hidden = true, mixinStandardHelpOptions = true,
        description = "List the configurers and cleanup policies found on the class path and in --plugin-path.")
final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Kdeploy registry = CliContext.of(spec).registry();
        PrintWriter out = spec.commandLine().getOut();
        for (CriConfigurator c : registry.configurers()) {
            out.println("configurer " + c.id() + " " + c.getClass().getName() + " " + source(c.getClass()));
        }
        for (CleanupPolicy p : registry.policies()) {
            out.println("policy " + p.id() + " " + p.getClass().getName() + " " + source(p.getClass()));
        }
        out.flush();
        for (String problem : registry.problems()) {
            spec.commandLine().getErr().println("failed to load: " + problem);
        }
        return 0;
    }

    private static String source(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return "-";
        }
        try {
            return Path.of(cs.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return cs.getLocation().toString();
        }
    }
}
