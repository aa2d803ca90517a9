package io.github.s3sweeper.rules;

import java.time.Instant;
import java.util.Objects;

/** One entry of a versioned listing: a version or a delete marker. No AWS types. */
public record VersionEntry(String key, String versionId, Instant lastModified, long size, boolean latest,
                           boolean deleteMarker) {

    public VersionEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(lastModified, "lastModified");
    }

    public StoredObject asObject() {
        return new StoredObject(key, lastModified, size);
    }
}
