package io.kdeploy.examples;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.PlanContext;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A third-party configurer: registers Kata's handlers with Docker Engine in {@code /etc/docker/daemon.json}'s
 * {@code "runtimes"} map, e.g. {@code "kata-qemu": {"runtimeType": "io.containerd.kata-qemu.v2", "options": {"ConfigPath":
 * "/opt/kata/share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml"}}}. The user's other keys stay, in their
 * order; cleanup puts the recorded original bytes back. Id {@code docker}; chosen by id ({@code --runtime docker}), so
 * {@link #supports} recognises none of kdeploy's CRI flavours.
 */
public final class DockerConfigurator implements CriConfigurator {
    /** The node path of Docker Engine's configuration. */
    public static final String DAEMON_JSON = "/etc/docker/daemon.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"));

    /** Does no I/O, as the SPI asks. */
    public DockerConfigurator() {}

    @Override
    public String id() {
        return "docker";
    }

    @Override
    public boolean supports(RuntimeInfo runtime) {
        return false;
    }

    @Override
    public ConfigPlan plan(PlanContext ctx) {
        Bytes baseline = baseline(ctx);
        ObjectNode root = baseline == null ? JSON.createObjectNode() : parse(baseline);
        ObjectNode runtimes = root.withObjectProperty("runtimes");
        KataLayout layout = ctx.layout();
        for (String shim : ctx.spec().shims()) {
            ObjectNode entry = runtimes.putObject(ctx.spec().handler(shim));
            entry.put("runtimeType", "io.containerd." + ctx.spec().handler(shim) + ".v2");
            entry.putObject("options").put("ConfigPath", layout.configPath(shim));
        }
        FileEdit edit = new FileEdit(DAEMON_JSON, ctx.current(DAEMON_JSON), write(root), baseline, 0644, List.of());
        boolean changes = !edit.isNoop();
        return new ConfigPlan(changes ? List.of(edit) : List.of(), changes ? "docker" : null, null, ctx.spec().handlers(),
                List.of());
    }

    @Override
    public ConfigPlan planRevert(PlanContext ctx) {
        if (!ctx.baselines().recordedPaths().contains(DAEMON_JSON)) {
            return new ConfigPlan(List.of(), null, null, List.of(), List.of());
        }
        Bytes baseline = baseline(ctx);
        FileEdit edit = new FileEdit(DAEMON_JSON, ctx.current(DAEMON_JSON), baseline, baseline, 0644, List.of());
        boolean changes = !edit.isNoop();
        return new ConfigPlan(changes ? List.of(edit) : List.of(), changes ? "docker" : null, null, List.of(), List.of());
    }

    /**
     * The file without this install's handlers. Core's install record gives the exact original bytes while the file is as we
     * left it; its structural undo speaks TOML, so when someone edited daemon.json since, this takes our handlers out of the
     * current content and keeps their edits.
     */
    private static @Nullable Bytes baseline(PlanContext ctx) {
        Bytes current = ctx.current(DAEMON_JSON);
        if (current != null) {
            parse(current);
        }
        try {
            return ctx.baseline(DAEMON_JSON);
        } catch (MalformedConfigException tomlUndo) {
            ObjectNode root = parse(requireCurrent(current));
            JsonNode runtimes = root.path("runtimes");
            if (runtimes instanceof ObjectNode r) {
                ctx.spec().handlers().forEach(r::remove);
            }
            return write(root);
        }
    }

    private static Bytes requireCurrent(@Nullable Bytes current) {
        if (current == null) {
            throw new IllegalStateException(DAEMON_JSON + " vanished while planning");
        }
        return current;
    }

    private static ObjectNode parse(Bytes content) {
        JsonNode node;
        try {
            node = JSON.readTree(content.toArray());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new MalformedConfigException(DAEMON_JSON, at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : Math.max(1, at.getColumnNr()), e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new MalformedConfigException(DAEMON_JSON, 0, 0, e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode)) {
            throw new MalformedConfigException(DAEMON_JSON, 1, 1, "the file must hold one JSON object, not "
                    + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType()), null);
        }
        return (ObjectNode) node;
    }

    private static Bytes write(ObjectNode root) {
        try {
            return Bytes.utf8(JSON.writer(PRETTY).writeValueAsString(root) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
