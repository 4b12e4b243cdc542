package io.kdeploy.cli;

import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.Kdeploy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads third-party configurers and cleanup policies from the jars of a {@code --plugin-path} directory: one child
 * {@link URLClassLoader} over every {@code *.jar} in it (sorted by name), whose providers {@link java.util.ServiceLoader}
 * finds through their {@code META-INF/services} files. A plugin sees kdeploy's own classes (core, jackson) through the
 * parent loader, so a plugin jar needs only its own classes.
 */
final class PluginLoader {
    private PluginLoader() {}

    /** The jars in a plugin directory, sorted by name. */
    static List<Path> jars(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidSpecException("--plugin-path " + dir + ": not a directory. Give a directory that holds the"
                    + " configurer jars (e.g. the kdeploy-examples jar).");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("--plugin-path " + dir + " cannot be listed: " + e.getMessage(), e);
        }
    }

    /** A class loader over the jars of the directories, child of {@code parent}. */
    static ClassLoader classLoader(List<Path> dirs, ClassLoader parent) {
        List<URL> urls = new ArrayList<>();
        for (Path dir : dirs) {
            for (Path jar : jars(dir)) {
                try {
                    urls.add(jar.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException("a file path is always a URL: " + jar, e);
                }
            }
        }
        return new URLClassLoader("kdeploy-plugins", urls.toArray(URL[]::new), parent);
    }

    /** Adds the providers of the plugin directories (and of {@code parent}) to the builder. */
    static Kdeploy.Builder addProviders(Kdeploy.Builder builder, List<Path> dirs, ClassLoader parent) {
        return builder.findProviders(dirs.isEmpty() ? parent : classLoader(dirs, parent));
    }
}
