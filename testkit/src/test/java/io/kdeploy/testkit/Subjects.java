package io.kdeploy.testkit;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The contract run over the sound {@link SampleConfigurator} and over configurers that each break one property. These are
 * not run by Surefire (nested classes); {@link CriConfiguratorContractTest} runs them through the JUnit Platform test kit.
 */
final class Subjects {
    private Subjects() {}

    /** The corpus of every subject: an existing config with comments, no config at all, and CRLF with a byte order mark. */
    static List<CorpusCase> corpus() {
        NodeFixture node = NodeFixture.containerd("1.7.22");
        return List.of(
                node.withConfig("""
                        # my settings
                        version = 2

                        [plugins."io.containerd.grpc.v1.cri"]
                          sandbox_image = "registry.k8s.io/pause:3.10"
                        """).toCase("user-config", DeploySpec.of("qemu", "clh")),
                node.toCase("no-config", DeploySpec.of("qemu")),
                node.withConfig("\uFEFFversion = 2\r\n\r\n[debug]\r\n  level = \"info\"\r\n").toCase("crlf-bom",
                        DeploySpec.of("qemu")));
    }

    /** The contract over a configurer, writing only containerd's main file. */
    abstract static class Base extends CriConfiguratorContract {
        @Override
        protected List<CorpusCase> cases() {
            return corpus();
        }

        @Override
        protected List<String> writablePaths() {
            return List.of("/etc/containerd/config.toml");
        }
    }

    /** Sound. */
    static class Sound extends Base {
        @Override
        protected CriConfigurator configurator() {
            return new SampleConfigurator();
        }
    }

    /** Appends a marker line on every run: a re-install is never empty. */
    static class NotIdempotent extends Base {
        @Override
        protected CriConfigurator configurator() {
            return new SampleConfigurator() {
                @Override
                public ConfigPlan plan(PlanContext ctx) {
                    String now = text(ctx.current(CONFIG));
                    FileEdit e = new FileEdit(CONFIG, ctx.current(CONFIG), Bytes.utf8(now + "# kata installed\n"),
                            ctx.baseline(CONFIG), 0644, List.of());
                    return plan(e, ctx.spec());
                }
            };
        }
    }

    /** Also writes a notes file nobody declared. */
    static class UndeclaredPath extends Base {
        @Override
        protected CriConfigurator configurator() {
            return new SampleConfigurator() {
                @Override
                public ConfigPlan plan(PlanContext ctx) {
                    String notes = "/etc/kdeploy-notes" + ctx.spec().dashSuffix() + ".toml";
                    List<FileEdit> edits = new ArrayList<>(super.plan(ctx).edits());
                    Bytes base = ctx.baseline(notes);
                    edits.add(new FileEdit(notes, ctx.current(notes), Bytes.utf8("installed = true\n"), base, 0644, List.of()));
                    return plan(edits, ctx.spec());
                }
            };
        }
    }

    /** Stamps a generation counter into the file: two plans of the same inputs differ. */
    static class Impure extends Base {
        private static final AtomicInteger GENERATION = new AtomicInteger();

        @Override
        protected CriConfigurator configurator() {
            return new SampleConfigurator() {
                @Override
                List<TomlEdit> edits(DeploySpec spec) {
                    List<TomlEdit> edits = new ArrayList<>(super.edits(spec));
                    edits.add(new TomlEdit.SetValue(RUNTIMES.child(spec.handlers().get(0)).child("generation"),
                            Integer.toString(GENERATION.incrementAndGet())));
                    return edits;
                }
            };
        }
    }

    /** Treats a file it cannot parse as empty instead of stopping. */
    static class SwallowsMalformedInput extends Base {
        @Override
        protected CriConfigurator configurator() {
            return new SampleConfigurator() {
                @Override
                public ConfigPlan plan(PlanContext ctx) {
                    try {
                        return super.plan(ctx);
                    } catch (MalformedConfigException e) {
                        TomlDocument result = TomlDocument.parse(CONFIG, "").applyAll(edits(ctx.spec()));
                        return plan(FileEdit.of(CONFIG, ctx.current(CONFIG), null, result, 0644), ctx.spec());
                    }
                }
            };
        }
    }

    /** Cleanup rewrites the file without its blank lines. */
    static class LossyRevert extends Base {
        @Override
        protected CriConfigurator configurator() {
            return new SampleConfigurator() {
                @Override
                public ConfigPlan planRevert(PlanContext ctx) {
                    List<FileEdit> edits = new ArrayList<>();
                    for (FileEdit e : super.planRevert(ctx).edits()) {
                        Bytes after = e.after() == null ? null : Bytes.utf8(e.after().asUtf8().replaceAll("(?m)^\\s*\\R", ""));
                        edits.add(new FileEdit(e.path(), e.before(), after, e.baseline(), e.mode(), e.undo()));
                    }
                    return plan(edits, ctx.spec());
                }
            };
        }
    }

    /** Takes out every Kata handler it finds before adding its own, so one suffix removes the other's. */
    static class ClobbersOtherInstances extends Base {
        @Override
        protected CriConfigurator configurator() {
            return new SampleConfigurator() {
                @Override
                public ConfigPlan plan(PlanContext ctx) {
                    Bytes baseline = ctx.baseline(CONFIG);
                    TomlDocument doc = TomlDocument.parse(CONFIG, baseline);
                    List<TomlEdit> edits = new ArrayList<>();
                    for (String k : doc.keys(RUNTIMES)) {
                        if (k.startsWith("kata-")) {
                            edits.add(new TomlEdit.RemoveTable(RUNTIMES.child(k)));
                        }
                    }
                    edits.addAll(edits(ctx.spec()));
                    return plan(FileEdit.of(CONFIG, ctx.current(CONFIG), baseline, doc.applyAll(edits), 0644), ctx.spec());
                }
            };
        }
    }

    /** Writes a value without quotes: the output is not TOML. */
    static class UnparseableOutput extends Base {
        @Override
        protected CriConfigurator configurator() {
            return new SampleConfigurator() {
                @Override
                public ConfigPlan plan(PlanContext ctx) {
                    Bytes baseline = ctx.baseline(CONFIG);
                    TomlDocument.parse(CONFIG, baseline);
                    Bytes after = Bytes.utf8(text(baseline) + "kata_handlers = [" + String.join(", ", ctx.spec().handlers())
                            + "\n");
                    return plan(new FileEdit(CONFIG, ctx.current(CONFIG), after, baseline, 0644, List.of()), ctx.spec());
                }
            };
        }
    }

    /** The clobbering configurer with its failures listed as known: the contract passes while they still fail. */
    static class KnownClobbering extends ClobbersOtherInstances {
        @Override
        protected java.util.Map<String, String> knownFailures() {
            return java.util.Map.of("twoInstancesLeaveEachOtherAlone/user-config", "clobbers",
                    "twoInstancesLeaveEachOtherAlone/no-config", "clobbers", "twoInstancesLeaveEachOtherAlone/crlf-bom", "clobbers");
        }
    }

    /** The sound configurer with a known failure that does not happen: the contract reports the stale entry. */
    static class StaleKnownFailure extends Sound {
        @Override
        protected java.util.Map<String, String> knownFailures() {
            return java.util.Map.of("outputParses/no-config", "was broken once");
        }
    }
}
