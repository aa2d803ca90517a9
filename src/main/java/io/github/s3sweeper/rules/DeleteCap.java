package io.github.s3sweeper.rules;

import java.util.OptionalLong;

/**
 * What becomes of each entry the retention rules chose, in the order they chose them: the first {@code MAX_DELETES}
 * go to S3 (on a dry run they are only counted: nothing is ever sent), every later one is left by the cap. Once
 * the cap is reached it stays reached, so the entries a run sends are exactly a prefix of what it chose, in
 * listing order. A cap of 0 leaves everything: what a rule of {@code RULES} gets once the rules before it used the
 * invocation's whole cap.
 */
public final class DeleteCap {

    public enum Verdict {
        /** Send it to S3 for deletion. */
        DELETE,
        /** A dry run: report it as what a real run would delete, send nothing. */
        WOULD_DELETE,
        /** MAX_DELETES entries have gone (or would have) already: leave it. */
        LEFT_BY_CAP
    }

    private final OptionalLong maxDeletes;
    private final boolean dryRun;
    private long taken;

    public DeleteCap(OptionalLong maxDeletes, boolean dryRun) {
        // 0: an earlier rule of the same run used the whole cap (the setting itself is at least 1).
        if (maxDeletes.isPresent() && maxDeletes.getAsLong() < 0) {
            throw new IllegalArgumentException("MAX_DELETES must be at least 0");
        }
        this.maxDeletes = maxDeletes;
        this.dryRun = dryRun;
    }

    /** The verdict for the next chosen entry. */
    public Verdict next() {
        if (maxDeletes.isPresent() && taken >= maxDeletes.getAsLong()) {
            return Verdict.LEFT_BY_CAP;
        }
        taken++;
        return dryRun ? Verdict.WOULD_DELETE : Verdict.DELETE;
    }
}
