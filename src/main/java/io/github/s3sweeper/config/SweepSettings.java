package io.github.s3sweeper.config;

import io.github.s3sweeper.report.FrontierEntry;
import io.github.s3sweeper.rules.Glob;
import io.github.s3sweeper.rules.GroupBy;
import io.github.s3sweeper.rules.KeepPolicy;
import io.github.s3sweeper.rules.Period;
import io.github.s3sweeper.rules.Selection;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one run sweeps and how: validated, immutable.
 *
 * @param age              objects last modified more than this long ago are expired
 * @param globRoot         what INCLUDE and EXCLUDE patterns are relative to: the configured PREFIX
 * @param includes         include lists, each of which an object must match (the configured one, an input's)
 * @param keepLatest       the newest selected objects that stay even when expired
 * @param maxDeletes       at most this many objects are deleted (sent for deletion) in one run
 * @param noncurrentDays   when present, noncurrent versions noncurrent for longer are deleted too (versioned buckets)
 * @param keepNoncurrent   the newest noncurrent versions of each key that stay
 * @param bypassGovernance send the Object Lock governance-mode bypass with version deletions
 * @param startAfter       list only keys after this one (resuming a run that ran out of time), or null
 * @param deleteConcurrency DeleteObjects requests in flight while the listing goes on (1: one after another)
 * @param listConcurrency sub-prefixes listed at once, ahead of the sweep (1: one listing chain)
 * @param abortUploadsAfter when present, incomplete multipart uploads under the prefix initiated longer ago are aborted
 * @param resumeFrontier   what the run being resumed (after {@code startAfter}) decided beyond its resume point, as its
 *                         summary's {@code resumeFrontier} says; empty otherwise. Not a setting: the state a chain of
 *                         runs hands from one to the next, so no input or variable names it in {@code Catalog}
 * @param groupBy          how keys form the groups that {@code keepLatest} and the calendar rules apply to, each alone
 * @param keepPeriods      the calendar rules: for each period, how many of the last periods keep their newest object
 * @param keepWithin       everything modified within this of its group's newest object stays (zero: no window)
 * @param timezone         the clock the calendar periods and the window's days are read on
 * @param maxHeldObjects   the most objects the keep rules may hold in memory at once, over all groups
 */
public record SweepSettings(
        String bucket,
        String prefix,
        String globRoot,
        Age age,
        boolean dryRun,
        int keepLatest,
        OptionalLong maxDeletes,
        List<List<Glob>> includes,
        List<Glob> exclude,
        long minSize,
        long maxSize,
        OptionalInt noncurrentDays,
        int keepNoncurrent,
        boolean bypassGovernance,
        String startAfter,
        int deleteConcurrency,
        int listConcurrency,
        Optional<Duration> abortUploadsAfter,
        List<FrontierEntry> resumeFrontier,
        GroupBy groupBy,
        Map<Period, Integer> keepPeriods,
        Duration keepWithin,
        ZoneId timezone,
        long maxHeldObjects) {

    /** The default of MAX_HELD_OBJECTS: about 300 MB of keys at most, within the template's default memory. */
    public static final long DEFAULT_MAX_HELD_OBJECTS = 1_000_000;

    public SweepSettings {
        Objects.requireNonNull(groupBy, "groupBy");
        Objects.requireNonNull(keepWithin, "keepWithin");
        Objects.requireNonNull(timezone, "timezone");
        // A count of 0 is no rule: dropped, so settings that keep the same are equal.
        keepPeriods = Map.copyOf(keepPeriods.entrySet().stream().filter(e -> e.getValue() > 0)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        if (maxHeldObjects < 1) {
            throw new IllegalArgumentException("maxHeldObjects must be at least 1: " + maxHeldObjects);
        }
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(age, "age");
        Objects.requireNonNull(maxDeletes, "maxDeletes");
        Objects.requireNonNull(noncurrentDays, "noncurrentDays");
        Objects.requireNonNull(globRoot, "globRoot");
        Objects.requireNonNull(abortUploadsAfter, "abortUploadsAfter");
        if (abortUploadsAfter.filter(d -> d.isNegative() || d.isZero()).isPresent()) {
            throw new IllegalArgumentException("abortUploadsAfter must be positive: " + abortUploadsAfter.get());
        }
        includes = includes.stream().filter(list -> !list.isEmpty()).map(List::copyOf).toList();
        exclude = List.copyOf(exclude);
        resumeFrontier = List.copyOf(resumeFrontier);
        if (deleteConcurrency < 1) {
            throw new IllegalArgumentException("deleteConcurrency must be at least 1: " + deleteConcurrency);
        }
        if (listConcurrency < 1) {
            throw new IllegalArgumentException("listConcurrency must be at least 1: " + listConcurrency);
        }
    }

    /**
     * DeleteObjects requests in flight by default: enough to keep several S3 partitions busy when sub-prefixes are
     * listed at once (at most {@code Deleter.PER_STREAM} of them on one), and to hide deleting behind listing.
     */
    public static final int DEFAULT_DELETE_CONCURRENCY = 16;

    /**
     * Sub-prefix listings in flight by default: enough that, at tens of milliseconds per page, pages arrive faster
     * than the rules and the delete rate consume them.
     */
    public static final int DEFAULT_LIST_CONCURRENCY = 16;

    /** Everything under the prefix older than {@code retentionDays}, nothing else set: the v1 behaviour. */
    public static SweepSettings of(String bucket, String prefix, int retentionDays, boolean dryRun) {
        return builder(bucket, prefix, Age.ofDays(retentionDays)).dryRun(dryRun).build();
    }

    public static Builder builder(String bucket, String prefix, Age age) {
        return new Builder(bucket, prefix, age);
    }

    public Builder toBuilder() {
        return new Builder(bucket, prefix, age).globRoot(globRoot).dryRun(dryRun).keepLatest(keepLatest)
                .maxDeletes(maxDeletes).includes(includes).exclude(exclude).minSize(minSize).maxSize(maxSize)
                .noncurrentDays(noncurrentDays).keepNoncurrent(keepNoncurrent).bypassGovernance(bypassGovernance)
                .startAfter(startAfter).deleteConcurrency(deleteConcurrency).listConcurrency(listConcurrency)
                .abortUploadsAfter(abortUploadsAfter).resumeFrontier(resumeFrontier)
                .groupBy(groupBy).keepPeriods(keepPeriods).keepWithin(keepWithin)
                .timezone(timezone).maxHeldObjects(maxHeldObjects);
    }

    /** Every keep rule of each group: KEEP_LATEST, the calendar rules and the window. */
    public KeepPolicy keepPolicy() {
        return new KeepPolicy(keepLatest, keepPeriods, keepWithin, timezone);
    }

    public int keep(Period period) {
        return keepPeriods.getOrDefault(period, 0);
    }

    public SweepSettings withDryRun(boolean value) {
        return toBuilder().dryRun(value).build();
    }

    /** The same run resuming one that stopped: {@code startAfter} its resumeAfter, and this its resumeFrontier. */
    public SweepSettings withResumeFrontier(List<FrontierEntry> value) {
        return toBuilder().resumeFrontier(value).build();
    }

    /** The same run without aborting incomplete uploads: a later run of a chain, whose first run aborted them. */
    public SweepSettings withoutAbortingUploads() {
        return toBuilder().abortUploadsAfter(Optional.empty()).build();
    }

    public Selection selection() {
        return new Selection(prefix, globRoot, includes, exclude, minSize, maxSize);
    }

    /** Versioned-bucket mode: list versions, and delete noncurrent versions and expired delete markers too. */
    public boolean sweepsVersions() {
        return noncurrentDays.isPresent();
    }

    /** Fills the optional parts; {@link #build()} validates through the record's constructor. */
    public static final class Builder {
        private String bucket;
        private String prefix;
        private Age age;
        private boolean dryRun;
        private int keepLatest;
        private OptionalLong maxDeletes = OptionalLong.empty();
        private String globRoot;
        private List<List<Glob>> includes = List.of();
        private List<Glob> exclude = List.of();
        private long minSize;
        private long maxSize = Selection.NO_MAX_SIZE;
        private OptionalInt noncurrentDays = OptionalInt.empty();
        private int keepNoncurrent;
        private boolean bypassGovernance;
        private String startAfter;
        private int deleteConcurrency = DEFAULT_DELETE_CONCURRENCY;
        private int listConcurrency = DEFAULT_LIST_CONCURRENCY;
        private Optional<Duration> abortUploadsAfter = Optional.empty();
        private List<FrontierEntry> resumeFrontier = List.of();
        private GroupBy groupBy = GroupBy.ONE;
        private Map<Period, Integer> keepPeriods = Map.of();
        private Duration keepWithin = Duration.ZERO;
        private ZoneId timezone = ZoneOffset.UTC;
        private long maxHeldObjects = DEFAULT_MAX_HELD_OBJECTS;

        private Builder(String bucket, String prefix, Age age) {
            this.bucket = bucket;
            this.prefix = prefix;
            this.age = age;
        }

        public Builder prefix(String value) {
            prefix = value;
            return this;
        }

        public Builder age(Age value) {
            age = value;
            return this;
        }

        public Builder dryRun(boolean value) {
            dryRun = value;
            return this;
        }

        public Builder keepLatest(int value) {
            keepLatest = value;
            return this;
        }

        public Builder maxDeletes(OptionalLong value) {
            maxDeletes = value;
            return this;
        }

        public Builder globRoot(String value) {
            globRoot = value;
            return this;
        }

        /** The one include list. */
        public Builder include(List<Glob> value) {
            includes = List.of(value);
            return this;
        }

        public Builder includes(List<List<Glob>> value) {
            includes = value;
            return this;
        }

        public Builder exclude(List<Glob> value) {
            exclude = value;
            return this;
        }

        /** One more include list, which an object must match as well as the others. */
        public Builder addInclude(List<Glob> value) {
            List<List<Glob>> all = new ArrayList<>(includes);
            all.add(value);
            includes = all;
            return this;
        }

        /** More excludes, beside the others. */
        public Builder addExclude(List<Glob> value) {
            List<Glob> all = new ArrayList<>(exclude);
            all.addAll(value);
            exclude = all;
            return this;
        }

        public Builder minSize(long value) {
            minSize = value;
            return this;
        }

        public Builder maxSize(long value) {
            maxSize = value;
            return this;
        }

        public Builder noncurrentDays(OptionalInt value) {
            noncurrentDays = value;
            return this;
        }

        public Builder keepNoncurrent(int value) {
            keepNoncurrent = value;
            return this;
        }

        public Builder bypassGovernance(boolean value) {
            bypassGovernance = value;
            return this;
        }

        public Builder startAfter(String value) {
            startAfter = value;
            return this;
        }

        public Builder deleteConcurrency(int value) {
            deleteConcurrency = value;
            return this;
        }

        public Builder listConcurrency(int value) {
            listConcurrency = value;
            return this;
        }

        public Builder abortUploadsAfter(Optional<Duration> value) {
            abortUploadsAfter = value;
            return this;
        }

        public Builder resumeFrontier(List<FrontierEntry> value) {
            resumeFrontier = value;
            return this;
        }

        public Builder groupBy(GroupBy value) {
            groupBy = value;
            return this;
        }

        public Builder keepPeriods(Map<Period, Integer> value) {
            keepPeriods = value;
            return this;
        }

        /** One calendar rule: keep the newest object of each of the last {@code count} periods (0: none). */
        public Builder keep(Period period, int count) {
            Map<Period, Integer> all = new EnumMap<>(Period.class);
            all.putAll(keepPeriods);
            all.put(period, count);
            keepPeriods = all;
            return this;
        }

        public Builder keepWithin(Duration value) {
            keepWithin = value;
            return this;
        }

        public Builder timezone(ZoneId value) {
            timezone = value;
            return this;
        }

        public Builder maxHeldObjects(long value) {
            maxHeldObjects = value;
            return this;
        }

        public SweepSettings build() {
            return new SweepSettings(bucket, prefix, globRoot == null ? prefix : globRoot, age, dryRun, keepLatest,
                    maxDeletes, includes, exclude, minSize, maxSize, noncurrentDays, keepNoncurrent, bypassGovernance,
                    startAfter, deleteConcurrency, listConcurrency, abortUploadsAfter, resumeFrontier, groupBy, keepPeriods, keepWithin,
                    timezone, maxHeldObjects);
        }
    }
}
