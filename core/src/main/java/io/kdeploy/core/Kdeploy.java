package io.kdeploy.core;

import io.kdeploy.core.spi.CleanupPolicy;
import io.kdeploy.core.spi.CriConfigurator;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The registry of configurers and cleanup policies an embedding program or the CLI works with. Not a singleton: build one with
 * {@link #builder()}, find providers on a class loader, add your own. A provider that fails to load is reported and skipped;
 * two providers with one id are an error naming both classes.
 */
public final class Kdeploy {

    private final Map<String, CriConfigurator> configurers;
    private final Map<String, CleanupPolicy> policies;
    private final List<String> problems;

    private Kdeploy(Builder b) {
        this.configurers = index(b.configurers, CriConfigurator::id, "configurer");
        this.policies = index(b.policies, CleanupPolicy::id, "cleanup policy");
        this.problems = List.copyOf(b.problems);
    }

    /** A new builder with nothing registered. */
    public static Builder builder() {
        return new Builder();
    }

    /** A registry with every provider visible to this module's class loader (and the module path). */
    public static Kdeploy discover() {
        return builder().findProviders(Kdeploy.class.getClassLoader()).build();
    }

    /** The registered configurers by id, in registration order. */
    public Collection<CriConfigurator> configurers() {
        return configurers.values();
    }

    /** The configurer with this id. */
    public CriConfigurator configurer(String id) {
        CriConfigurator c = configurers.get(id);
        if (c == null) {
            throw new ProviderException("No configurer with id '" + id + "'. Known: " + configurers.keySet()
                    + ". Add its jar to the class path (or --plugin-path) or pick a known one." + problemHint(), null);
        }
        return c;
    }

    /** The first configurer that supports the runtime. */
    public CriConfigurator configurerFor(RuntimeInfo runtime) {
        return configurers.values().stream()
                .filter(c -> c.supports(runtime))
                .findFirst()
                .orElseThrow(() -> new ProviderException("No configurer supports " + runtime.toRuntimeVersion() + ". Known: "
                        + configurers.keySet() + "." + problemHint(), null));
    }

    /** The registered cleanup policies by id. */
    public Collection<CleanupPolicy> policies() {
        return policies.values();
    }

    /** The cleanup policy with this id. */
    public CleanupPolicy policy(String id) {
        CleanupPolicy p = policies.get(id);
        if (p == null) {
            throw new ProviderException("No cleanup policy with id '" + id + "'. Known: " + policies.keySet() + "."
                    + problemHint(), null);
        }
        return p;
    }

    /** Providers that failed to load, one message each. */
    public List<String> problems() {
        return problems;
    }

    private String problemHint() {
        return problems.isEmpty() ? "" : " Providers that failed to load: " + problems;
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> id, String kind) {
        Map<String, T> out = new LinkedHashMap<>();
        for (T item : items) {
            T old = out.putIfAbsent(id.apply(item), item);
            if (old != null && old.getClass() != item.getClass()) {
                throw new ProviderException("Two " + kind + "s have the id '" + id.apply(item) + "': "
                        + old.getClass().getName() + " and " + item.getClass().getName() + ". Remove one of the jars.", null);
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Collects providers for a {@link Kdeploy}. */
    public static final class Builder {
        private final List<CriConfigurator> configurers = new ArrayList<>();
        private final List<CleanupPolicy> policies = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        private Builder() {}

        /** Adds every configurer and policy {@link ServiceLoader} finds through {@code loader}. */
        public Builder findProviders(ClassLoader loader) {
            load(ServiceLoader.load(CriConfigurator.class, loader), configurers);
            load(ServiceLoader.load(CleanupPolicy.class, loader), policies);
            return this;
        }

        /** Adds every configurer and policy {@link ServiceLoader} finds in a module layer (plugins). */
        public Builder findProviders(ModuleLayer layer) {
            load(ServiceLoader.load(layer, CriConfigurator.class), configurers);
            load(ServiceLoader.load(layer, CleanupPolicy.class), policies);
            return this;
        }

        /** Adds a configurer. */
        public Builder add(CriConfigurator configurer) {
            configurers.add(configurer);
            return this;
        }

        /** Adds a cleanup policy. */
        public Builder add(CleanupPolicy policy) {
            policies.add(policy);
            return this;
        }

        /** The registry. */
        public Kdeploy build() {
            return new Kdeploy(this);
        }

        private <T> void load(ServiceLoader<T> loader, List<T> into) {
            var it = loader.iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        return;
                    }
                    into.add(it.next());
                } catch (ServiceConfigurationError e) {
                    String msg = e.getMessage();
                    problems.add(msg);
                    Log.LOG.log(Level.WARNING, () -> "Skipping a provider that failed to load: " + msg);
                }
            }
        }
    }

    /**
     * The logger, created on first use: the first logger of a JVM sets up the logging back-end (~9 ms), which a run that
     * logs nothing, such as an unchanged re-install, need not pay on its main thread.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(Kdeploy.class.getName());
    }
}
