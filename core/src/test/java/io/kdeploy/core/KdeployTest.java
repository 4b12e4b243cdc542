package io.kdeploy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.Self;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.spi.CleanupPolicy;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.PlanContext;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KdeployTest {

    /** A configurer that plans nothing; only its id and flavour matter here. */
    static class FakeConfigurer implements CriConfigurator {
        private final String id;
        private final Flavour flavour;

        FakeConfigurer(String id, Flavour flavour) {
            this.id = id;
            this.flavour = flavour;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean supports(RuntimeInfo runtime) {
            return runtime.flavour() == flavour;
        }

        @Override
        public ConfigPlan plan(PlanContext context) {
            return new ConfigPlan(List.of(), null, null, List.of(), List.of());
        }

        @Override
        public ConfigPlan planRevert(PlanContext context) {
            return plan(context);
        }
    }

    /** A second class with the same shape, to provoke an id clash between two classes. */
    static final class OtherConfigurer extends FakeConfigurer {
        OtherConfigurer(String id) {
            super(id, Flavour.CONTAINERD);
        }
    }

    /** A policy that always skips. */
    static final class SkipPolicy implements CleanupPolicy {
        @Override
        public String id() {
            return "always-skip";
        }

        @Override
        public CleanupDecision decide(ClusterView view, Self self) {
            return new CleanupDecision.Skip("test");
        }
    }

    @Test
    void addAndLookUpById() {
        FakeConfigurer containerd = new FakeConfigurer("containerd", Flavour.CONTAINERD);
        FakeConfigurer crio = new FakeConfigurer("crio", Flavour.CRIO);
        SkipPolicy policy = new SkipPolicy();
        Kdeploy k = Kdeploy.builder().add(containerd).add(crio).add(policy).build();
        assertThat(k.configurer("crio")).isSameAs(crio);
        assertThat(k.configurers()).containsExactly(containerd, crio);
        assertThat(k.configurerFor(RuntimeInfo.parse("cri-o://1.31.1"))).isSameAs(crio);
        assertThat(k.configurerFor(RuntimeInfo.parse("containerd://1.7.22"))).isSameAs(containerd);
        assertThat(k.policy("always-skip")).isSameAs(policy);
        assertThat(k.policies()).containsExactly(policy);
        assertThat(k.problems()).isEmpty();
    }

    @Test
    void unknownIdListsTheKnownIds() {
        Kdeploy k = Kdeploy.builder().add(new FakeConfigurer("containerd", Flavour.CONTAINERD))
                .add(new FakeConfigurer("crio", Flavour.CRIO)).add(new SkipPolicy()).build();
        assertThatThrownBy(() -> k.configurer("docker"))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("'docker'")
                .hasMessageContaining("[containerd, crio]");
        assertThatThrownBy(() -> k.policy("node-aware"))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("'node-aware'")
                .hasMessageContaining("[always-skip]");
        assertThatThrownBy(() -> k.configurerFor(RuntimeInfo.parse("containerd://1.7.22-k3s1")))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("containerd://1.7.22")
                .hasMessageContaining("[containerd, crio]");
    }

    @Test
    void twoProvidersWithOneIdNameBothClasses() {
        Kdeploy.Builder b = Kdeploy.builder().add(new FakeConfigurer("containerd", Flavour.CONTAINERD))
                .add(new OtherConfigurer("containerd"));
        assertThatThrownBy(b::build)
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("'containerd'")
                .hasMessageContaining(FakeConfigurer.class.getName())
                .hasMessageContaining(OtherConfigurer.class.getName())
                .extracting(e -> ((KdeployException) e).exitCode()).isEqualTo(2);
    }

    @Test
    void aBrokenProviderIsReportedAndSkipped(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(CriConfigurator.class.getName()), "com.example.MissingConfigurer\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Kdeploy k = Kdeploy.builder().findProviders(loader).add(new FakeConfigurer("crio", Flavour.CRIO)).build();
            assertThat(k.problems()).singleElement().asString().contains("com.example.MissingConfigurer");
            assertThat(k.configurer("crio")).isNotNull();
            assertThatThrownBy(() -> k.configurer("containerd"))
                    .hasMessageContaining("Providers that failed to load")
                    .hasMessageContaining("com.example.MissingConfigurer");
        }
    }
}
