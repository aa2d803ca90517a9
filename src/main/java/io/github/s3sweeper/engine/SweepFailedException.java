package io.github.s3sweeper.engine;

import io.github.s3sweeper.report.SweepSummary;

/**
 * The run did not do all it should. The message is one line, the cause first; the summary says exactly what was and
 * was not deleted.
 */
public final class SweepFailedException extends RuntimeException {

    private final transient SweepSummary summary;

    public SweepFailedException(String reason, SweepSummary summary, Throwable cause) {
        super(reason, cause);
        this.summary = summary;
    }

    private SweepFailedException(SweepFailedException original) {
        super(original.getMessage(), null, false, false);
        this.summary = original.summary;
    }

    public SweepSummary summary() {
        return summary;
    }

    /**
     * The same failure without a cause or stack trace: what a Lambda handler throws, since the runtime prints the
     * whole trace of what it is thrown at ERROR, and the trace belongs at DEBUG.
     */
    public SweepFailedException withoutTrace() {
        return new SweepFailedException(this);
    }
}
