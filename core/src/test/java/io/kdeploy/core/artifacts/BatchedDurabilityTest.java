package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.artifacts.ArtifactAction.Op;
import io.kdeploy.core.artifacts.ManifestEntry.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Written files are made durable together before any is renamed into place. */
class BatchedDurabilityTest {

    @TempDir
    Path host;

    @TempDir
    Path work;

    @Test
    void syncfsIsUsedOnlyWhereItReportsWriteBackErrors() {
        assertThat(KataArtifactInstaller.syncfsReportsErrors("Linux", "5.8.0")).isTrue();
        assertThat(KataArtifactInstaller.syncfsReportsErrors("Linux", "6.8.0-45-generic")).isTrue();
        assertThat(KataArtifactInstaller.syncfsReportsErrors("Linux", "10.1")).isTrue();
        assertThat(KataArtifactInstaller.syncfsReportsErrors("Linux", "5.7.19")).isFalse();
        assertThat(KataArtifactInstaller.syncfsReportsErrors("Linux", "4.19.0-26-amd64")).isFalse();
        assertThat(KataArtifactInstaller.syncfsReportsErrors("Linux", "unknown")).isFalse();
        assertThat(KataArtifactInstaller.syncfsReportsErrors("Mac OS X", "14.2")).isFalse();
    }

    @Test
    void aCopyFailingMidwayPublishesNoFileAndLeavesNoTempFile() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        KataArtifactInstaller installer = new KataArtifactInstaller();
        ArtifactPlan plan = installer.plan(ArtifactSource.of(src), DeploySpec.of("qemu"), host);
        List<ArtifactAction> copies = plan.actions().stream()
                .filter(a -> a.op() == Op.WRITE && a.type() == Type.FILE && a.content() == null && a.copyOf() == null)
                .filter(a -> !a.path().endsWith(".toml"))
                .collect(Collectors.toList());
        assertThat(copies).hasSizeGreaterThan(2);
        Files.delete(src.resolve(copies.get(copies.size() / 2).path()));

        assertThatThrownBy(() -> installer.apply(plan)).isInstanceOf(RuntimeException.class);

        try (Stream<Path> all = Files.walk(host)) {
            assertThat(all.filter(Files::isRegularFile).map(host::relativize).map(Path::toString)).isEmpty();
        }
        ArtifactResult again = installer.apply(installer.plan(ArtifactSource.of(src), DeploySpec.of("qemu"), host));
        assertThat(again.artifactFilesWritten()).isGreaterThanOrEqualTo(copies.size() - 1);
        try (Stream<Path> all = Files.walk(host)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
