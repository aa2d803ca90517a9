package io.github.s3sweeper.engine;

import io.github.s3sweeper.report.SweepSummary;

/** The run did not do all it should: the summary says exactly what was and was not deleted. */
public final class SweepFailedException extends RuntimeException {

    private final transient SweepSummary summary;

    public SweepFailedException(String reason, SweepSummary summary, Throwable cause) {
        super(reason + " Summary: " + summary.toJson(), cause);
        this.summary = summary;
    }

    public SweepSummary summary() {
        return summary;
    }
}
