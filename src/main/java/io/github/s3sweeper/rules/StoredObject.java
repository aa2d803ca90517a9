package io.github.s3sweeper.rules;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/** What the rules know of a listed object: no AWS types. */
public record StoredObject(String key, Instant lastModified, long size) {

    /**
     * Oldest first; ties on LastModified are broken by key, so which of two equally old objects counts as newer
     * never depends on the order S3 listed them in.
     */
    public static final Comparator<StoredObject> OLDEST_FIRST =
            Comparator.comparing(StoredObject::lastModified).thenComparing(StoredObject::key);

    public StoredObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastModified, "lastModified");
    }
}
