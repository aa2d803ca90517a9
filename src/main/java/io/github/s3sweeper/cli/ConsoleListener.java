package io.github.s3sweeper.cli;

import io.github.s3sweeper.engine.SweepListener;
import io.github.s3sweeper.engine.Target;
import io.github.s3sweeper.report.KeyError;

import java.io.PrintStream;

/**
 * What a person sees of each entry: with {@code --list} (a dry run), the keys that would go on stdout, one per line,
 * to pipe; with {@code --verbose}, each deletion on stderr, as rclone's -v prints them; every failed entry on stderr,
 * whatever the verbosity, since a failure must never pass unseen. The engine calls this from several threads: each
 * line is written by one println, which PrintStream keeps whole.
 */
final class ConsoleListener implements SweepListener {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean list;
    private final boolean verbose;
    private final boolean dryRun;

    ConsoleListener(PrintStream out, PrintStream err, boolean list, boolean verbose, boolean dryRun) {
        this.out = out;
        this.err = err;
        this.list = list;
        this.verbose = verbose;
        this.dryRun = dryRun;
    }

    /** A key as a line: a version's id after a tab, so {@code cut -f1} gives keys again. */
    static String line(String key, String versionId) {
        return versionId == null ? key : key + "\t" + versionId;
    }

    @Override
    public void onExpired(Target target) {
        if (list) {
            out.println(line(target.key(), target.versionId()));
        } else if (verbose && dryRun) {
            err.println("would delete: " + line(target.key(), target.versionId()) + " (" + target.size() + " bytes)");
        }
    }

    @Override
    public void onLeftByCap(Target target) {
        if (verbose) {
            err.println("left by --max-deletes: " + line(target.key(), target.versionId()));
        }
    }

    @Override
    public void onDeleted(Target target) {
        if (verbose) {
            err.println("deleted: " + line(target.key(), target.versionId()) + " (" + target.size() + " bytes)");
        }
    }

    @Override
    public void onFailed(KeyError error) {
        err.println("failed: " + line(error.key(), error.versionId()) + ": " + error.code() + " " + error.message());
    }

    @Override
    public void onLocked(KeyError error) {
        if (verbose) {
            err.println("locked: " + line(error.key(), error.versionId()) + ": " + error.message());
        }
    }
}
