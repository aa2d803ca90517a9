package io.github.s3sweeper.lambda;

import io.github.s3sweeper.report.SweepProgress;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Logs a running sweep's progress every interval from a daemon thread of its own, the first line one interval after
 * the start, until closed. Closing waits for a line being written, so none follows what the run logs next: its
 * summary.
 */
final class ProgressLog implements AutoCloseable {

    /** Far longer than writing one line takes; only a stuck output could make closing wait for it. */
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final ScheduledExecutorService timer;

    private ProgressLog(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static ProgressLog start(Supplier<SweepProgress> progress, RunLog log, Duration every) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "s3-sweeper-progress");
            thread.setDaemon(true);
            return thread;
        });
        long nanos = every.toNanos();
        timer.scheduleAtFixedRate(() -> log.progress(progress.get()), nanos, nanos, TimeUnit.NANOSECONDS);
        return new ProgressLog(timer);
    }

    @Override
    public void close() {
        // Shutting down cancels the ticks to come; waiting lets the one being written, if any, end first.
        timer.shutdown();
        try {
            if (!timer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
