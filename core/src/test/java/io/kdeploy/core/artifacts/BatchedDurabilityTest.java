package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the installer may flush its written files with one {@code syncfs(2)} instead of one fsync each. */
class BatchedDurabilityTest {

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
}
