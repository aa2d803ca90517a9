package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.Glob;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Settings that one invocation's input replaces for that run; null fields leave the environment's value. The
 * bucket cannot be overridden, and a prefix only narrows the configured one: the IAM role is scoped to it.
 */
public record Overrides(
        String prefix,
        Integer retentionDays,
        Duration olderThan,
        Boolean dryRun,
        Integer keepLatest,
        Integer maxDeletes,
        List<Glob> include,
        List<Glob> exclude,
        Long minSize,
        Long maxSize,
        String startAfter) {

    public static final Overrides NONE =
            new Overrides(null, null, null, null, null, null, null, null, null, null, null);

    /**
     * The input fields this run overrides, in declaration order; empty when it overrides nothing (as the template's
     * {"trigger":"schedule"} does). The record's components are named after the input fields.
     */
    public List<String> fields() {
        List<String> set = new ArrayList<>();
        for (RecordComponent component : Overrides.class.getRecordComponents()) {
            try {
                if (component.getAccessor().invoke(this) != null) {
                    set.add(component.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName(), e);
            }
        }
        return set;
    }

    /** The environment's settings with these applied, or one exception naming every field that does not fit. */
    public SweepSettings applyTo(SweepSettings base) {
        List<String> problems = new ArrayList<>();
        if (prefix != null) {
            String problem = prefix.startsWith(base.prefix())
                    ? SettingsParser.prefixProblem(prefix, base.prefix().isEmpty(), "the input was probably not"
                            + " written in UTF-8, or a character was lost before it")
                    : "outside the configured PREFIX=" + ValueReader.quoted(base.prefix());
            if (problem != null) {
                problems.add(RunRequest.label("prefix") + "=" + ValueReader.quoted(prefix) + ": " + problem
                        + "; allowed: a prefix that starts with " + ValueReader.quoted(base.prefix()));
            }
        }
        String effectivePrefix = prefix != null ? prefix : base.prefix();
        if (startAfter != null && !startAfter.startsWith(effectivePrefix)) {
            problems.add(RunRequest.label("startAfter") + "=" + ValueReader.quoted(startAfter) + ": outside the prefix "
                    + ValueReader.quoted(effectivePrefix) + "; allowed: a key under the prefix, as a previous run's"
                    + " resumeAfter gives");
        }
        if (keepLatest != null && keepLatest < base.keepLatest()) {
            problems.add(RunRequest.label("keepLatest") + "=" + keepLatest + ": fewer than the configured KEEP_LATEST="
                    + base.keepLatest() + "; allowed: " + base.keepLatest() + " or more (an input can only keep more)");
        }
        if (maxDeletes != null && base.maxDeletes().isPresent() && maxDeletes > base.maxDeletes().getAsLong()) {
            problems.add(RunRequest.label("maxDeletes") + "=" + maxDeletes + ": more than the configured MAX_DELETES="
                    + base.maxDeletes().getAsLong() + "; allowed: " + base.maxDeletes().getAsLong()
                    + " or fewer (an input can only lower the cap)");
        }
        if (Boolean.FALSE.equals(dryRun) && base.dryRun()) {
            // A dry run is a promise that nothing is deleted: an input may turn one on, never off.
            problems.add(RunRequest.label("dryRun") + "=false: the environment says DRY_RUN=true (or --dry-run was"
                    + " given); allowed: true, or leave it out");
        }
        long min = minSize != null ? minSize : base.minSize();
        long max = maxSize != null ? maxSize : base.maxSize();
        if (min > max) {
            problems.add("input fields \"minSize\" and \"maxSize\": the minimum " + min + " is larger than the maximum "
                    + max + "; allowed: a minimum no larger than the maximum");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        SweepSettings.Builder settings = base.toBuilder().minSize(min).maxSize(max);
        if (prefix != null) {
            settings.prefix(prefix);
        }
        if (retentionDays != null) {
            settings.age(Age.ofDays(retentionDays));
        }
        if (olderThan != null) {
            settings.age(Age.of(olderThan));
        }
        if (dryRun != null) {
            settings.dryRun(dryRun);
        }
        if (keepLatest != null) {
            settings.keepLatest(keepLatest);
        }
        if (maxDeletes != null) {
            settings.maxDeletes(OptionalLong.of(maxDeletes));
        }
        // Filters only ever narrow: an input's include list must match as well as the configured one, its
        // excludes add to the configured ones, and all patterns stay relative to the configured PREFIX.
        if (include != null) {
            List<List<Glob>> includes = new ArrayList<>(base.includes());
            includes.add(include);
            settings.includes(includes);
        }
        if (exclude != null) {
            List<Glob> excludes = new ArrayList<>(base.exclude());
            excludes.addAll(exclude);
            settings.exclude(excludes);
        }
        if (startAfter != null) {
            settings.startAfter(startAfter);
        }
        return settings.build();
    }
}
