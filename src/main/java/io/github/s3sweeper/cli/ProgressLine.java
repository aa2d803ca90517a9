package io.github.s3sweeper.cli;

import io.github.s3sweeper.report.SweepProgress;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A running sweep's counts on one terminal line, redrawn in place a few times a second; stopping clears the line, so
 * what is printed next starts on a clean one. For standard error when it is a terminal ({@link #stderrIsTerminal()}):
 * in a file or a pipe the redraws would only be clutter.
 */
public final class ProgressLine implements AutoCloseable {

    /** Often enough to look live, seldom enough to cost nothing. */
    static final Duration EVERY = Duration.ofMillis(250);
    private static final String ERASE_TO_END_OF_LINE = "\u001b[K";

    private final Supplier<SweepProgress> progress;
    private final PrintStream terminal;
    private final ScheduledExecutorService timer;
    /** Guarded by {@code this}, as is every write to the terminal. */
    private boolean drawn;
    private boolean stopped;

    private ProgressLine(Supplier<SweepProgress> progress, PrintStream terminal) {
        this.progress = progress;
        this.terminal = terminal;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "s3-sweeper-progress-line");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Draws the first line one interval (a quarter of a second) after the start, so a shorter run shows none. */
    public static ProgressLine start(Supplier<SweepProgress> progress, PrintStream terminal) {
        return start(progress, terminal, EVERY);
    }

    static ProgressLine start(Supplier<SweepProgress> progress, PrintStream terminal, Duration every) {
        ProgressLine line = new ProgressLine(progress, terminal);
        long nanos = every.toNanos();
        line.timer.scheduleAtFixedRate(line::draw, nanos, nanos, TimeUnit.NANOSECONDS);
        return line;
    }

    private synchronized void draw() {
        if (stopped) {
            return;
        }
        try {
            // Back to the start of the line, the new counts, then away with what a longer line left to their right.
            terminal.print("\r" + progress.get().toLine() + ERASE_TO_END_OF_LINE);
            terminal.flush();
            drawn = true;
        } catch (RuntimeException e) {
            // One redraw lost; a throwing task would end the timer's redraws for good.
        }
    }

    /** A line of its own on the terminal (a failed key): the progress line is cleared first and redrawn below it. */
    public synchronized void println(String line) {
        if (drawn && !stopped) {
            terminal.print("\r" + ERASE_TO_END_OF_LINE);
        }
        terminal.println(line);
        drawn = false;
        if (!stopped) {
            draw();
        }
    }

    /** Stops the redraws and clears the line if one was drawn; nothing is drawn once this returns. */
    public void stop() {
        synchronized (this) {
            stopped = true;
            if (drawn) {
                terminal.print("\r" + ERASE_TO_END_OF_LINE);
                terminal.flush();
                drawn = false;
            }
        }
        timer.shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Whether standard error (file descriptor 2) is a terminal. Java 17 cannot ask: System.console() answers for
     * standard input and output together, and there is no isatty. A shell given this process's own standard error
     * can: {@code [ -t 2 ]} is POSIX, so it answers alike on Linux and macOS. That costs a process (tens of
     * milliseconds before the first request), so on Linux /proc/self/fd/2 answers first: a pseudo-terminal or a
     * tty device is a terminal. False where there is neither, as on Windows.
     */
    public static boolean stderrIsTerminal() {
        // Linux first, without a process: the first request of a run waits for this answer.
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.exists(fd2, LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (IOException | UnsupportedOperationException e) {
                // not a link here after all: ask the shell
            }
        }
        try {
            Process test = new ProcessBuilder("sh", "-c", "[ -t 2 ]")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!test.waitFor(5, TimeUnit.SECONDS)) {
                test.destroy();
                return false;
            }
            return test.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
