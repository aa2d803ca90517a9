package io.github.s3sweeper.engine;

import java.time.Instant;
import java.util.Objects;

/** Something the rules chose to delete: a current object by key, or one version (or delete marker) by id. */
public record Target(String key, String versionId, Kind kind, long size, Instant lastModified) {

    public enum Kind {
        /** The current object, deleted by key (on a versioned bucket S3 adds a delete marker). */
        CURRENT,
        /** A noncurrent version or delete marker, deleted for good by version id. */
        NONCURRENT,
        /** A delete marker that is the only entry left of its key. */
        EXPIRED_MARKER
    }

    public Target {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        if ((versionId == null) != (kind == Kind.CURRENT)) {
            throw new IllegalArgumentException("a version id goes with noncurrent entries and delete markers only");
        }
    }

    /** The identity of the entry in one DeleteObjects request. */
    record Id(String key, String versionId) {
    }

    Id id() {
        return new Id(key, versionId);
    }
}
