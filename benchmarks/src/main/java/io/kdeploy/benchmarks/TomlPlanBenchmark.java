package io.kdeploy.benchmarks;

import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import io.kdeploy.core.toml.TomlValues;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + plan (register two Kata handlers, kata-deploy's six keys each) + render as a unified diff, on containerd 1.6's
 * ~7 KB default config. Every plan is verified by a re-parse of its result, so this measures the safe path end to end.
 * The forked JVM runs kdeploy's collector, the serial one (the launcher and the agent image use it): it keeps the
 * measurement on one core, where G1's concurrent refinement and GC threads would work on the second (measured with G1:
 * ~15 % fewer plans per second on this 2-core machine; src/docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseSerialGC")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class TomlPlanBenchmark {
    static final String PATH = "/etc/containerd/config.toml";

    /** More distinct inputs than core's parse cache holds, so that every cold operation parses a text it has not seen. */
    static final int VARIANTS = 64;

    Bytes config;
    Bytes[] variants;
    int next;
    List<TomlEdit> edits;

    /** Loads the config and builds the edits once. */
    @Setup
    public void setUp() throws IOException {
        try (InputStream in = Objects.requireNonNull(TomlPlanBenchmark.class.getResourceAsStream("input.toml"))) {
            config = Bytes.of(in.readAllBytes());
        }
        variants = new Bytes[VARIANTS];
        for (int i = 0; i < VARIANTS; i++) {
            variants[i] = Bytes.utf8(config.asUtf8() + "# variant " + i + "\n");
        }
        edits = new ArrayList<>();
        for (String shim : List.of("qemu", "clh")) {
            KeyPath rt = KeyPath.parse("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-" + shim);
            edits.add(new TomlEdit.SetValue(rt.child("runtime_type"), TomlValues.string("io.containerd.kata-" + shim + ".v2")));
            edits.add(new TomlEdit.SetValue(rt.child("runtime_path"), TomlValues.string("/opt/kata/bin/containerd-shim-kata-v2")));
            edits.add(new TomlEdit.SetValue(rt.child("privileged_without_host_devices"), "true"));
            edits.add(new TomlEdit.SetValue(rt.child("pod_annotations"), TomlValues.stringArray(List.of("io.katacontainers.*"))));
            edits.add(new TomlEdit.SetValue(rt.child("container_annotations"),
                    TomlValues.stringArray(List.of("io.kubernetes.container.terminationMessage*"))));
            edits.add(new TomlEdit.SetValue(rt.child("options").child("ConfigPath"), TomlValues.string(
                    "/opt/kata/share/defaults/kata-containers/runtimes/" + shim + "/configuration-" + shim + ".toml")));
        }
    }

    /** Only the tomlj parse and the scan of a config not parsed before: the floor under every plan. */
    @Benchmark
    public TomlDocument parseOnly() {
        return TomlDocument.parse(PATH, nextVariant());
    }

    /** One whole plan of a config not parsed before: parse, edit, verify, render. The figure the issue asks for. */
    @Benchmark
    public String parsePlanRender() {
        return plan(nextVariant());
    }

    /**
     * The same plan of the same config again and again: core's parse cache knows the text, so this measures edit,
     * verification and render without the input parse (what a second plan of one file in one run costs).
     */
    @Benchmark
    public String parsePlanRenderSameText() {
        return plan(config);
    }

    private String plan(Bytes input) {
        TomlDocument doc = TomlDocument.parse(PATH, input).applyAll(edits);
        ConfigPlan plan = new ConfigPlan(List.of(FileEdit.of(PATH, input, input, doc, 0644)), "containerd", null,
                List.of("kata-qemu", "kata-clh"), List.of());
        return plan.toUnifiedDiff();
    }

    private Bytes nextVariant() {
        next = (next + 1) % VARIANTS;
        return variants[next];
    }
}
