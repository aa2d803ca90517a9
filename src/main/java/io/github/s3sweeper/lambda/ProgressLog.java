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
    private final Supplier<SweepProgress> progress;
    private final RunLog log;
    /** Guarded by {@code this}, as is every line written: none once {@link #close()} has set it. */
    private boolean stopped;

    private ProgressLog(ScheduledExecutorService timer, Supplier<SweepProgress> progress, RunLog log) {
        this.timer = timer;
        this.progress = progress;
        this.log = log;
    }

    static ProgressLog start(Supplier<SweepProgress> progress, RunLog log, Duration every) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "s3-sweeper-progress");
            thread.setDaemon(true);
            return thread;
        });
        ProgressLog progressLog = new ProgressLog(timer, progress, log);
        long nanos = every.toNanos();
        timer.scheduleAtFixedRate(progressLog::tick, nanos, nanos, TimeUnit.NANOSECONDS);
        return progressLog;
    }

    /** One line, unless closed; a line that fails to be written costs that line only, not the ticks after it. */
    private synchronized void tick() {
        if (stopped) {
            return;
        }
        try {
            log.progress(progress.get());
        } catch (RuntimeException e) {
            // A progress line is worth less than the run: the summary still says everything.
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            stopped = true;
        }
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
