package io.github.s3sweeper.cli;

import io.github.s3sweeper.report.SweepProgress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLineTest {

    private static final Duration FAST = Duration.ofMillis(10);
    private static final SweepProgress HALFWAY = new SweepProgress(1_234_000, 800_112, 799_000, 0,
            Duration.ofSeconds(30));

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void awaitWritten(Predicate<String> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.test(written())) {
            assertThat(System.nanoTime()).as("waited for the line: %s", written()).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void drawsTheCountsFromTheStartOfTheLineAndErasesWhatAnEarlierLongerLineLeft() throws InterruptedException {
        ProgressLine line = ProgressLine.start(() -> HALFWAY, terminal, FAST);
        awaitWritten(w -> !w.isEmpty());
        line.stop();

        assertThat(written()).startsWith(
                "\rscanned 1,234,000  chosen 800,112  deleted 799,000  failed 0  41,133/s  0:30\u001b[K");
    }

    @Test
    void redrawsTheLineInPlaceAsTheCountsChange() throws InterruptedException {
        AtomicLong scanned = new AtomicLong();
        Supplier<SweepProgress> growing = () -> new SweepProgress(scanned.addAndGet(1000), 0, 0, 0,
                Duration.ofSeconds(1));

        ProgressLine line = ProgressLine.start(growing, terminal, FAST);
        awaitWritten(w -> w.contains("scanned 3,000 "));
        line.stop();

        assertThat(written()).contains("\rscanned 1,000  chosen 0", "\rscanned 2,000  chosen 0").doesNotContain("\n");
    }

    @Test
    void stopClearsTheLineAndNothingIsDrawnAfterIt() throws InterruptedException {
        ProgressLine line = ProgressLine.start(() -> HALFWAY, terminal, FAST);
        awaitWritten(w -> !w.isEmpty());

        line.stop();
        String atStop = written();
        Thread.sleep(FAST.multipliedBy(10).toMillis());

        assertThat(atStop).endsWith("\u001b[K\r\u001b[K");
        assertThat(written()).isEqualTo(atStop);
    }

    @Test
    void aLinePrintedWhileTheProgressLineIsDrawnGoesAboveItOnALineOfItsOwn() throws InterruptedException {
        ProgressLine line = ProgressLine.start(() -> HALFWAY, terminal, FAST);
        awaitWritten(w -> !w.isEmpty());

        line.println("failed: logs/a.gz: AccessDenied Access Denied");
        line.stop();

        String shown = written();
        int failed = shown.indexOf("failed: logs/a.gz");
        // The drawn line was erased right before the message, and the message ends its own line.
        assertThat(shown.substring(0, failed)).endsWith("\r\u001b[K");
        assertThat(shown.substring(failed)).startsWith("failed: logs/a.gz: AccessDenied Access Denied"
                + System.lineSeparator());
    }

    @Test
    void aLinePrintedAfterStopIsPrintedAlone() {
        ProgressLine line = ProgressLine.start(() -> HALFWAY, terminal, Duration.ofMinutes(1));
        line.stop();

        line.println("failed: x");

        assertThat(written()).isEqualTo("failed: x" + System.lineSeparator());
    }

    @Test
    void aRunStoppedBeforeTheFirstRedrawWritesNothing() {
        ProgressLine line = ProgressLine.start(() -> HALFWAY, terminal, Duration.ofMinutes(1));

        line.stop();

        assertThat(written()).isEmpty();
    }

    @Test
    void standardErrorIsNoTerminalWhenItIsAPipe() {
        // The test JVM's standard error is the pipe to its build tool.
        assertThat(ProgressLine.stderrIsTerminal()).isFalse();
    }
}
