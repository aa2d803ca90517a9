package io.github.s3sweeper.cli;

import io.github.s3sweeper.engine.SweepListener;
import io.github.s3sweeper.engine.Target;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.rules.IncompleteUpload;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a person sees of each entry: with {@code --list} (a dry run), the keys that would go on stdout, one per line,
 * to pipe; with {@code --verbose}, each deletion on stderr, as rclone's -v prints them; every failed entry on stderr,
 * whatever the verbosity, since a failure must never pass unseen. Incomplete multipart uploads
 * (ABORT_INCOMPLETE_UPLOADS_AFTER) go to stderr only, so that stdout stays a list of objects' keys: with {@code --list}
 * or {@code --verbose} each one a dry run would abort, with {@code --verbose} each one aborted, and every failed
 * abort. The engine calls this from several threads: each
 * line is written by one println, which PrintStream keeps whole.
 */
final class ConsoleListener implements SweepListener {

    private final PrintStream out;
    /** Where stderr lines go: through the progress line while one is drawn, so a line never lands inside it. */
    private volatile Consumer<String> err;
    private final boolean list;
    private final boolean verbose;
    private final boolean dryRun;

    ConsoleListener(PrintStream out, PrintStream err, boolean list, boolean verbose, boolean dryRun) {
        this.out = out;
        this.err = err::println;
        this.list = list;
        this.verbose = verbose;
        this.dryRun = dryRun;
    }

    /** Sends stderr lines through {@code lines} from now on (a progress line's println), or back to plain stderr. */
    void errorLinesTo(Consumer<String> lines) {
        this.err = lines;
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
            err.accept("would delete: " + line(target.key(), target.versionId()) + " (" + target.size() + " bytes)");
        }
    }

    /** With --verbose, each expired object a keep rule keeps, and which rules keep it, as a dry run's answer. */
    @Override
    public void onKept(String key, Instant lastModified, String group, List<String> rules) {
        if (verbose) {
            err.accept("kept by " + String.join(", ", rules) + ": " + key + (group == null ? " (no group)"
                    : group.isEmpty() ? "" : " (group " + group + ")"));
        }
    }

    @Override
    public void onLeftByCap(Target target) {
        if (verbose) {
            err.accept("left by --max-deletes: " + line(target.key(), target.versionId()));
        }
    }

    @Override
    public void onDeleted(Target target) {
        if (verbose) {
            err.accept("deleted: " + line(target.key(), target.versionId()) + " (" + target.size() + " bytes)");
        }
    }

    @Override
    public void onFailed(KeyError error) {
        err.accept("failed: " + line(error.key(), error.versionId()) + ": " + error.code() + " " + error.message());
    }

    /** An upload as a line: its key, a tab, its upload id, then when it was initiated. */
    static String uploadLine(IncompleteUpload upload) {
        return upload.key() + "\t" + upload.uploadId() + " (initiated " + upload.initiated() + ")";
    }

    @Override
    public void onUploadExpired(IncompleteUpload upload) {
        if (dryRun && (list || verbose)) {
            err.accept("would abort upload: " + uploadLine(upload));
        }
    }

    @Override
    public void onUploadAborted(IncompleteUpload upload, boolean alreadyGone) {
        if (verbose) {
            err.accept((alreadyGone ? "upload gone already: " : "aborted upload: ") + uploadLine(upload));
        }
    }

    @Override
    public void onUploadFailed(IncompleteUpload upload, String code, String message) {
        err.accept("failed to abort upload: " + uploadLine(upload) + ": " + code + " " + message);
    }

    @Override
    public void onLocked(KeyError error) {
        if (verbose) {
            err.accept("locked: " + line(error.key(), error.versionId()) + ": " + error.message());
        }
    }
}
