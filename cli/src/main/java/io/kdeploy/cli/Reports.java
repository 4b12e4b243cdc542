package io.kdeploy.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.deploy.CleanupReport;
import io.kdeploy.core.deploy.InstallReport;
import java.io.PrintWriter;
import java.util.List;

/**
 * Prints what {@code install} and {@code cleanup} did: readable lines, the plan's diff for {@code --dry-run}, and the JSON
 * object of DESIGN.md §6 as the last line on stdout for {@code --output json}. Warnings go to stderr.
 */
public final class Reports {
    /** Built on first use: most runs never write or read this JSON, and a mapper's start-up is not free. */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    private Reports() {}

    /**
     * The install JSON line: {@code {"action":"install","changedFiles":[…],"artifactFilesWritten":0,"restartRequired":…,
     * "restarted":…,"handlers":[…]}}.
     */
    public static String installJson(InstallReport r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("action", "install");
        strings(o.putArray("changedFiles"), r.changedFiles());
        o.put("artifactFilesWritten", r.artifactFilesWritten());
        o.put("restartRequired", r.restartRequired());
        o.put("restarted", r.restarted());
        strings(o.putArray("handlers"), r.handlers());
        return o.toString();
    }

    /**
     * The cleanup JSON line: {@code {"action":"cleanup","decision":"FULL","reason":"…","changedFiles":[…],
     * "artifactFilesWritten":N,"restartRequired":…,"restarted":…,"handlers":[…],"keptForInUse":[…]}}, where
     * {@code artifactFilesWritten} counts the artifact files removed and {@code handlers} the handlers unregistered.
     */
    public static String cleanupJson(CleanupReport r, DeploySpec spec) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("action", "cleanup");
        o.put("decision", r.decision().name());
        o.put("reason", r.decision().reason());
        strings(o.putArray("changedFiles"), r.changedFiles());
        o.put("artifactFilesWritten", r.artifactFilesRemoved());
        o.put("restartRequired", r.restartRequired());
        o.put("restarted", r.restarted());
        strings(o.putArray("handlers"), r.decision().name().equals("SKIP") ? List.of() : spec.handlers());
        strings(o.putArray("keptForInUse"), r.keptForInUse());
        return o.toString();
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    /** Prints an install report: the diff on a dry run, then a summary (text) or the JSON line (json). */
    public static void printInstall(InstallReport r, boolean dryRun, boolean json, PrintWriter out, PrintWriter err) {
        r.warnings().forEach(w -> err.println("warning: " + w));
        if (dryRun) {
            out.print(r.diff());
        }
        if (json) {
            out.println(installJson(r));
        } else {
            out.println(installSummary(r, dryRun));
        }
        out.flush();
        err.flush();
    }

    /** Prints a cleanup report: the diff on a dry run, then a summary (text) or the JSON line (json). */
    public static void printCleanup(CleanupReport r, DeploySpec spec, boolean dryRun, boolean json, PrintWriter out,
            PrintWriter err) {
        r.warnings().forEach(w -> err.println("warning: " + w));
        if (dryRun) {
            out.print(r.diff());
        }
        if (json) {
            out.println(cleanupJson(r, spec));
        } else {
            out.println(cleanupSummary(r, spec, dryRun));
        }
        out.flush();
        err.flush();
    }

    /** A few lines saying what an install did (or would do). */
    public static String installSummary(InstallReport r, boolean dryRun) {
        StringBuilder b = new StringBuilder();
        String would = dryRun ? "would be " : "";
        b.append(dryRun ? "Dry run, nothing was changed. " : "").append("Runtime ").append(describe(r.runtime()))
                .append(", handlers ").append(String.join(", ", r.handlers())).append(".\n");
        if (r.unchanged()) {
            b.append("Nothing to do: the configuration and the artifacts are already in place; nothing ").append(would)
                    .append("restarted.");
            return b.toString();
        }
        b.append("Changed configuration files").append(dryRun ? " (planned)" : "").append(": ")
                .append(r.changedFiles().isEmpty() ? "none" : String.join(", ", r.changedFiles())).append(".\n");
        b.append("Artifact files ").append(dryRun ? "to write or remove" : "written or removed").append(": ")
                .append(r.artifactFilesWritten()).append(".\n");
        b.append(restartLine(r.restartRequired(), r.restarted(), dryRun));
        return b.toString();
    }

    /** A few lines saying what a cleanup did (or would do). */
    public static String cleanupSummary(CleanupReport r, DeploySpec spec, boolean dryRun) {
        StringBuilder b = new StringBuilder();
        b.append(dryRun ? "Dry run, nothing was changed. " : "").append("Decision ").append(r.decision().name()).append(": ")
                .append(r.decision().reason()).append('\n');
        if (r.decision().name().equals("SKIP")) {
            b.append("Nothing was touched.");
            return b.toString();
        }
        b.append("Handlers ").append(dryRun ? "to unregister" : "unregistered").append(": ")
                .append(String.join(", ", spec.handlers())).append(".\n");
        b.append("Changed configuration files").append(dryRun ? " (planned)" : "").append(": ")
                .append(r.changedFiles().isEmpty() ? "none" : String.join(", ", r.changedFiles())).append(".\n");
        if (!dryRun) {
            b.append("Artifact files removed: ").append(r.artifactFilesRemoved()).append(".\n");
        }
        if (!r.keptForInUse().isEmpty()) {
            b.append("Kept for running pods: ").append(String.join(", ", r.keptForInUse())).append(".\n");
        }
        b.append(restartLine(r.restartRequired(), r.restarted(), dryRun));
        return b.toString();
    }

    private static String restartLine(boolean required, boolean restarted, boolean dryRun) {
        if (!required) {
            return "No runtime restart needed.";
        }
        if (restarted) {
            return "The runtime was restarted.";
        }
        return dryRun ? "The runtime would be restarted." : "The runtime needs a restart; it was not restarted.";
    }

    /** {@code containerd 1.7.22} or {@code k3s (containerd 1.7.22)}. */
    static String describe(RuntimeInfo r) {
        String flavour = r.flavour().id();
        return flavour.equals("containerd") || flavour.equals("crio") ? flavour + " " + r.version()
                : flavour + " (containerd " + r.version() + ")";
    }
}
