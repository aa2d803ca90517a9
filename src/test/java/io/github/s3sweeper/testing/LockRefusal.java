package io.github.s3sweeper.testing;

/**
 * How a server refuses to delete a version under Object Lock when that is not S3's way ({@code AccessDenied}, the
 * only answer the engine counts as {@code locked}): the code and message it sends for each such version, and a name
 * the test's skip carries so that CI can tell this known difference from any other skip.
 */
public record LockRefusal(String name, String server, String code, String message) {

    /** The skip message: the difference, what the engine does with it, and what would lift the skip. */
    public String assumption() {
        return name + ": " + server + " refuses a version under Object Lock with " + code + " \"" + message
                + "\" where S3 answers AccessDenied; the engine (Deleter.refused) counts only AccessDenied as locked,"
                + " so on " + server + " these versions count as failed and the run fails. Checked instead: exactly"
                + " the governance, compliance and legal-hold versions are refused with that code and message and"
                + " their VersionId, the free version is deleted, and the governance bypass frees only governance."
                + " This skip lifts itself once the engine counts this refusal as locked.";
    }
}
