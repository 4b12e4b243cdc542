package io.kdeploy.cli;

import io.kdeploy.core.Kdeploy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every command of one {@code kdeploy} run shares: the registry of configurers and cleanup policies, built once from
 * the class path and the {@code --plugin-path} directories. Commands ask for it with {@link #of(CommandSpec)}.
 */
public final class CliContext {
    private final List<Path> pluginDirs = new ArrayList<>();
    private @Nullable Kdeploy registry;

    /** A context without plugin directories. */
    public CliContext() {}

    /** The context of the run a command belongs to (a fresh one when the command runs outside {@link Main}). */
    public static CliContext of(CommandSpec spec) {
        Object root = spec.root().userObject();
        return root instanceof Main ? ((Main) root).context() : new CliContext();
    }

    /** Adds a plugin directory; only before the registry was first asked for. */
    void addPluginDir(Path dir) {
        if (registry != null) {
            throw new IllegalStateException("the registry is already built");
        }
        pluginDirs.add(dir);
    }

    /** The plugin directories given with {@code --plugin-path}, in order. */
    public List<Path> pluginDirs() {
        return List.copyOf(pluginDirs);
    }

    /** The registry: every provider on kdeploy's class path and in the plugin directories. */
    public Kdeploy registry() {
        Kdeploy r = registry;
        if (r == null) {
            r = PluginLoader.addProviders(Kdeploy.builder(), pluginDirs, CliContext.class.getClassLoader()).build();
            registry = r;
        }
        return r;
    }
}
