package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.artifacts.ProgressListener.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static final long MS = 1_000_000L;

    private final StringWriter out = new StringWriter();
    private final AtomicLong now = new AtomicLong(5_000 * MS);

    private ProgressLine line(ProgressLine.Mode mode) {
        return new ProgressLine(new PrintWriter(out), mode, now::get);
    }

    private static Progress at(long files, long mb) {
        return new Progress(files, 10, mb * 1_000_000, 100_000_000, "bin/file-" + files);
    }

    @Test
    void aQuickInstallShowsNothing() {
        for (ProgressLine.Mode mode : ProgressLine.Mode.values()) {
            ProgressLine p = line(mode);
            for (int f = 1; f <= 10; f++) {
                p.update(at(f, f * 10));
                now.addAndGet(90 * MS);
            }
            p.finish();
        }

        assertThat(out.toString()).isEmpty();
    }

    @Test
    void onATerminalOneLineRewritesItselfWithTheRateAtMostTenTimesASecondAndIsClearedAtTheEnd() {
        ProgressLine p = line(ProgressLine.Mode.TERMINAL);
        p.update(at(0, 0));
        now.addAndGet(999 * MS);
        p.update(at(2, 10));
        assertThat(out.toString()).as("still within the first second").isEmpty();

        now.addAndGet(1 * MS);
        p.update(at(3, 20));
        now.addAndGet(50 * MS);
        p.update(at(4, 30));
        now.addAndGet(50 * MS);
        p.update(at(5, 40));
        now.addAndGet(1 * MS);
        p.update(at(10, 100));
        p.finish();

        assertThat(out.toString()).isEqualTo(
                "\r\033[2K  artifacts 3/10 files, 20.0/100.0 MB, 20.0 MB/s  bin/file-3"
                        + "\r\033[2K  artifacts 5/10 files, 40.0/100.0 MB, 36.4 MB/s  bin/file-5"
                        + "\r\033[2K  artifacts 10/10 files, 100.0/100.0 MB, 90.8 MB/s  bin/file-10"
                        + "\r\033[2K");
    }

    @Test
    void elsewhereAPlainLineComesAfterTheFirstSecondThenEveryFiveSecondsWithoutEscapes() {
        ProgressLine p = line(ProgressLine.Mode.PLAIN);
        p.update(at(0, 0));
        for (int f = 2; f <= 9; f++) {
            now.addAndGet(1_500 * MS);
            p.update(at(f, f * 10));
        }
        now.addAndGet(1_500 * MS);
        p.update(at(10, 100));
        p.finish();

        assertThat(out.toString()).isEqualTo(String.format(
                "kdeploy: artifacts 2/10 files, 20.0/100.0 MB, 13.3 MB/s%n"
                        + "kdeploy: artifacts 6/10 files, 60.0/100.0 MB, 8.0 MB/s%n"));
    }

    @Test
    void theRateCountsFromTheFirstReportSoOneLargeFileIsNotOverstated() {
        ProgressLine p = line(ProgressLine.Mode.PLAIN);
        p.update(new Progress(0, 3, 0, 1_500_000_000L, ""));
        now.addAndGet(5_000 * MS);
        p.update(new Progress(1, 3, 500_000_000L, 1_500_000_000L, "share/kata-containers/a.img"));
        now.addAndGet(5_000 * MS);
        p.update(new Progress(2, 3, 1_000_000_000L, 1_500_000_000L, "share/kata-containers/b.img"));

        assertThat(out.toString()).isEqualTo(String.format(
                "kdeploy: artifacts 1/3 files, 500.0/1500.0 MB, 100.0 MB/s%n"
                        + "kdeploy: artifacts 2/3 files, 1000.0/1500.0 MB, 100.0 MB/s%n"));
    }

    @Test
    void aPlainLineIsNotPrintedForTheLastFileSinceTheSummaryFollows() {
        ProgressLine p = line(ProgressLine.Mode.PLAIN);
        p.update(at(0, 0));
        now.addAndGet(3_000 * MS);
        p.update(at(10, 100));

        assertThat(out.toString()).isEmpty();
    }
}
