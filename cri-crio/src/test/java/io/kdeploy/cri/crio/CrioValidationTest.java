package io.kdeploy.cri.crio;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.ValidationCommand;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation command, checked against a fake {@code crio} under a temporary host root (CRI-O is not installable here). */
class CrioValidationTest {
    @TempDir
    Path root;

    private final CrioConfigurator crio = new CrioConfigurator();

    private NodeFiles files() {
        return HostRoot.of(root);
    }

    private void write(String nodePath, String content) throws IOException {
        Path p = root.resolve(nodePath.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    /** A fake crio that records its arguments next to itself and succeeds. */
    private void fakeCrio(String nodePath) throws IOException {
        Path p = root.resolve(nodePath.substring(1));
        write(nodePath, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$0.args\"\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ConfigPlan plan() {
        return crio.plan(PlanContext.fresh(files(), DeploySpec.of("qemu"), TestNode.CRIO_1_31));
    }

    @Test
    void withACrioBinaryThePlanCarriesTheConfigCheckAndTheBinaryAcceptsTheCommandLine() throws Exception {
        write("/etc/crio/crio.conf", "[crio]\n");
        fakeCrio("/usr/local/bin/crio");

        ConfigPlan plan = plan();
        assertThat(plan.validation()).isEqualTo(new ValidationCommand(
                List.of("/usr/local/bin/crio", "--config-dir", "/etc/crio/crio.conf.d", "config")));

        List<String> argv = new ArrayList<>(plan.validation().argv());
        argv.set(0, root.resolve(argv.get(0).substring(1)).toString());
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readAllLines(root.resolve("usr/local/bin/crio.args"), StandardCharsets.UTF_8))
                .containsExactly("--config-dir", "/etc/crio/crio.conf.d", "config");
    }

    @Test
    void thePackagedBinaryIsPreferredAndTheRevertIsCheckedToo() throws IOException {
        write("/etc/crio/crio.conf", "[crio]\n");
        fakeCrio("/usr/local/bin/crio");
        fakeCrio("/usr/bin/crio");
        assertThat(plan().validation().argv()).first().isEqualTo("/usr/bin/crio");
        assertThat(crio.planRevert(PlanContext.fresh(files(), DeploySpec.of("qemu"), TestNode.CRIO_1_31)).validation())
                .isEqualTo(plan().validation());
    }

    @Test
    void withoutACrioBinaryThereIsNoValidationCommand() throws IOException {
        write("/etc/crio/crio.conf", "[crio]\n");
        write("/usr/lib/systemd/system/crio.service", "[Unit]\nDescription=Container Runtime Interface for OCI (CRI-O)\n");
        assertThat(plan().validation()).isNull();
        assertThat(plan().changedPaths()).containsExactly("/etc/crio/crio.conf.d/99-kata-deploy");
        assertThat(crio.detect(files())).isPresent();
    }
}
