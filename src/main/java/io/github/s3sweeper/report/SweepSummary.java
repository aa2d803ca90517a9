package io.github.s3sweeper.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The exact report of one run. {@code expired} counts everything the rules chose to delete: current objects,
 * noncurrent versions and expired delete markers. On a real run
 * {@code deleted + failed + locked + leftByCap = expired}; on a dry run nothing is deleted and
 * {@code expired - leftByCap} is what a real run would delete.
 *
 * @param retentionDays        the threshold in days when it was given in days, else null
 * @param olderThan            the threshold as an ISO-8601 duration
 * @param cutoff               ISO-8601 UTC instant; current objects last modified strictly before it are expired
 * @param versioning           the bucket's versioning: Enabled, Suspended, Disabled, or Unknown (not allowed to ask)
 * @param scanned              current objects listed under the prefix
 * @param matched              of those, the ones the include, exclude and size filters select
 * @param expired              objects, versions and delete markers the rules chose to delete
 * @param keptLatest           selected objects older than the cutoff kept as among their group's newest
 *                             {@code keepLatest}
 * @param keptByRule           for each keep rule (KEEP_LATEST, KEEP_HOURLY..KEEP_YEARLY, KEEP_WITHIN), the objects
 *                             older than the cutoff it kept; an object two rules keep counts for both. Empty without
 *                             keep rules
 * @param groups               the groups GROUP_BY formed (0 without keep rules, which need no groups)
 * @param heldPeak             the most objects the keep rules held in memory at once (MAX_HELD_OBJECTS bounds it)
 * @param deleted              entries S3 confirmed deleted (all kinds)
 * @param failed               chosen entries that were not deleted, or whose deletion S3 did not confirm
 * @param locked               versions Object Lock protects (retention or legal hold): not deleted, not a failure
 * @param capped               true when {@code maxDeletes} stopped the run from deleting more
 * @param leftByCap            chosen entries not deleted because of the cap
 * @param bytesDeleted         total size of the deleted objects and versions
 * @param noncurrentDays       the threshold for noncurrent versions, or null when they are left alone
 * @param noncurrentCutoff     ISO-8601; versions noncurrent since before it are expired, or null
 * @param versionsScanned      entries of the versioned listing (versions and delete markers), 0 without one
 * @param noncurrentDeleted    of {@code deleted}, noncurrent versions and noncurrent delete markers
 * @param deleteMarkersDeleted of {@code deleted}, expired delete markers (the only entry left of their key)
 * @param uploadsCutoff        ISO-8601; with ABORT_INCOMPLETE_UPLOADS_AFTER, incomplete multipart uploads under the
 *                             prefix initiated strictly before it are aborted; null when the setting is off (and on
 *                             a chain's later runs, which leave the uploads to its first)
 * @param uploadsScanned       incomplete multipart uploads listed under the prefix
 * @param uploadsExpired       of those, the ones initiated before {@code uploadsCutoff}: to abort (on a dry run: that
 *                             would be); on a real run {@code uploadsAborted + uploadsFailed = uploadsExpired} once
 *                             the listing of uploads went to its end
 * @param uploadsAborted       uploads S3 confirmed aborted, or answered NoSuchUpload for (gone already: completed or
 *                             aborted since the listing); 0 on a dry run
 * @param uploadsFailed        uploads to abort that S3 did not abort; the run fails as for failed deletions
 * @param errors               the first {@value #MAX_ERRORS} errors S3 reported, in the order they happened
 * @param lockedKeys           the first {@value #MAX_ERRORS} locked versions
 * @param listRequests         list requests made (ListObjectsV2 or ListObjectVersions), a failed one included
 * @param deleteRequests       DeleteObjects requests sent (and DeleteObject, for keys XML cannot carry)
 * @param complete             false when the run stopped listing before the end of the prefix
 * @param resumeAfter          when not complete: the last key examined; a run with startAfter set to it goes on
 * @param stoppedBy            when not complete, why: {@value #TIME_BUDGET} or {@value #LISTING_FAILED}
 * @param failure              when the run failed: its cause in one line, with the remedy where one is known
 * @param durationMs           the run's wall-clock time
 * @param rule                 a rule's summary (an entry of {@code rules}): the rule's name; null otherwise
 * @param resumeFrontier       when not complete: sub-prefixes after {@code resumeAfter} already decided whole (no
 *                             {@code after}) or up to their {@code after} key, at most 1,000 and 64 KiB of keys, the
 *                             earliest; a run resumed after {@code resumeAfter} with it does not list them again.
 *                             Empty when complete, or when nothing beyond {@code resumeAfter} is known decided
 * @param rules                a run of RULES: each rule's summary, in order, this one their total (sums of the
 *                             counts; complete only when all are; the age and the prefix the top-level settings');
 *                             null, and left out of the JSON, for a run without rules
 *
 * <p>Build one by name with {@link #builder()}. The components stay flat and in this order because they are the
 * contract: {@link #toMap()}, and the Lambda runtime's serializer, which writes the handler's response from them.
 */
public record SweepSummary(
        String rule,
        String bucket,
        String prefix,
        Integer retentionDays,
        String olderThan,
        String cutoff,
        boolean dryRun,
        String versioning,
        long scanned,
        long matched,
        long expired,
        long keptLatest,
        Map<String, Long> keptByRule,
        long groups,
        long heldPeak,
        long deleted,
        long failed,
        long locked,
        boolean capped,
        long leftByCap,
        long bytesDeleted,
        Integer noncurrentDays,
        String noncurrentCutoff,
        long versionsScanned,
        long noncurrentDeleted,
        long deleteMarkersDeleted,
        String uploadsCutoff,
        long uploadsScanned,
        long uploadsExpired,
        long uploadsAborted,
        long uploadsFailed,
        List<KeyError> errors,
        List<KeyError> lockedKeys,
        long listRequests,
        long deleteRequests,
        boolean complete,
        String resumeAfter,
        String stoppedBy,
        String failure,
        long durationMs,
        List<FrontierEntry> resumeFrontier,
        List<SweepSummary> rules) {

    public static final int MAX_ERRORS = 100;
    /** The run stopped listing a margin before the function's timeout, so that it could report. */
    public static final String TIME_BUDGET = "timeBudget";
    /** A listing request failed; what was chosen before it was still deleted. */
    public static final String LISTING_FAILED = "listingFailed";
    /** The keep rules would have held more objects than MAX_HELD_OBJECTS allows; what they held stayed. */
    public static final String KEEP_RULES_MEMORY = "keepRulesMemory";

    public SweepSummary {
        rules = rules == null ? null : List.copyOf(rules);
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(olderThan, "olderThan");
        Objects.requireNonNull(cutoff, "cutoff");
        keptByRule = Collections.unmodifiableMap(new LinkedHashMap<>(keptByRule));
        errors = List.copyOf(errors);
        lockedKeys = List.copyOf(lockedKeys);
        resumeFrontier = List.copyOf(resumeFrontier);
    }

    /**
     * A summary to fill by name. Unset counts are 0, flags false (but {@code complete}: true), the optional values
     * null, the lists empty, and {@code versioning} "Unknown"; bucket, prefix, olderThan and cutoff must be set.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** This summary as the rule {@code name}'s. */
    public SweepSummary withRule(String name) {
        return copy(name, rules);
    }

    /** This summary as the total of the rules' {@code summaries}. */
    public SweepSummary withRules(List<SweepSummary> summaries) {
        return copy(rule, summaries);
    }

    private SweepSummary copy(String rule, List<SweepSummary> rules) {
        return new SweepSummary(rule, bucket, prefix, retentionDays, olderThan, cutoff, dryRun, versioning, scanned,
                matched, expired, keptLatest, keptByRule, groups, heldPeak, deleted, failed, locked, capped, leftByCap,
                bytesDeleted, noncurrentDays, noncurrentCutoff, versionsScanned, noncurrentDeleted,
                deleteMarkersDeleted, uploadsCutoff, uploadsScanned, uploadsExpired, uploadsAborted, uploadsFailed,
                errors, lockedKeys, listRequests, deleteRequests, complete, resumeAfter, stoppedBy, failure, durationMs,
                resumeFrontier, rules);
    }

    /** Chosen entries still in the bucket after this run (all of them on a dry run). */
    public long left() {
        return expired - deleted;
    }

    /** The fields in their documented order, as the JSON line and the handler's response show them. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (rule != null) {
            map.put("rule", rule);
        }
        map.put("bucket", bucket);
        map.put("prefix", prefix);
        map.put("retentionDays", retentionDays);
        map.put("olderThan", olderThan);
        map.put("cutoff", cutoff);
        map.put("dryRun", dryRun);
        map.put("versioning", versioning);
        map.put("scanned", scanned);
        map.put("matched", matched);
        map.put("expired", expired);
        map.put("keptLatest", keptLatest);
        map.put("keptByRule", keptByRule);
        map.put("groups", groups);
        map.put("heldPeak", heldPeak);
        map.put("deleted", deleted);
        map.put("failed", failed);
        map.put("locked", locked);
        map.put("capped", capped);
        map.put("leftByCap", leftByCap);
        map.put("bytesDeleted", bytesDeleted);
        map.put("noncurrentDays", noncurrentDays);
        map.put("noncurrentCutoff", noncurrentCutoff);
        map.put("versionsScanned", versionsScanned);
        map.put("noncurrentDeleted", noncurrentDeleted);
        map.put("deleteMarkersDeleted", deleteMarkersDeleted);
        map.put("uploadsCutoff", uploadsCutoff);
        map.put("uploadsScanned", uploadsScanned);
        map.put("uploadsExpired", uploadsExpired);
        map.put("uploadsAborted", uploadsAborted);
        map.put("uploadsFailed", uploadsFailed);
        map.put("errors", errors.stream().map(SweepSummary::errorMap).toList());
        map.put("lockedKeys", lockedKeys.stream().map(SweepSummary::errorMap).toList());
        map.put("listRequests", listRequests);
        map.put("deleteRequests", deleteRequests);
        map.put("complete", complete);
        map.put("resumeAfter", resumeAfter);
        map.put("stoppedBy", stoppedBy);
        map.put("failure", failure);
        map.put("durationMs", durationMs);
        map.put("resumeFrontier", resumeFrontier.stream().map(SweepSummary::frontierMap).toList());
        if (rules != null) {
            map.put("rules", rules.stream().map(SweepSummary::toMap).toList());
        }
        return map;
    }

    private static Map<String, Object> frontierMap(FrontierEntry e) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("prefix", e.prefix());
        entry.put("after", e.after());
        return entry;
    }

    private static Map<String, Object> errorMap(KeyError e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("key", e.key());
        error.put("versionId", e.versionId());
        error.put("code", e.code());
        error.put("message", e.message());
        return error;
    }

    public String toJson() {
        return Json.write(toMap());
    }

    /** The short human-readable account, in the spirit of the original script's output. */
    public String toAccount() {
        String mode = dryRun ? " (dry run: nothing deleted)" : "";
        String threshold = AgeWords.of(retentionDays, olderThan);
        StringBuilder account = new StringBuilder();
        if (rules != null) {
            return totalAccount(mode);
        }
        // The cause first: it is what the reader of a failed run is looking for.
        if (failure != null) {
            account.append("FAILED: ").append(failure).append('\n');
        }
        account.append("s3-sweeper run").append(mode).append('\n')
                .append(String.format("Bucket:                %s (versioning: %s)%n", bucket, versioning))
                .append(String.format("Prefix:                %s%n", prefix.isEmpty() ? "(whole bucket)" : prefix))
                .append(String.format("Threshold:             %s (objects last modified before %s are expired)%n",
                        threshold, cutoff));
        if (noncurrentDays != null) {
            account.append(String.format("Noncurrent versions:   %d days (noncurrent since before %s)%n",
                    noncurrentDays, noncurrentCutoff));
        }
        account.append(String.format("Objects scanned:       %d (%d selected by the filters)%n", scanned, matched));
        if (keptLatest > 0) {
            account.append(String.format("Kept as newest:        %d%n", keptLatest));
        }
        if (!keptByRule.isEmpty()) {
            StringBuilder rules = new StringBuilder();
            keptByRule.forEach((rule, n) -> rules.append(rules.isEmpty() ? "" : ", ").append(rule).append(' ')
                    .append(n));
            account.append(String.format("Kept by keep rules:    %s (%d groups)%n", rules, groups));
        }
        account.append(String.format("To delete:             %d%n", expired))
                .append(String.format("Deleted:               %d (%d bytes)%n", deleted, bytesDeleted));
        if (noncurrentDays != null) {
            account.append(String.format("  noncurrent versions: %d, expired delete markers: %d%n",
                    noncurrentDeleted, deleteMarkersDeleted));
        }
        account.append(String.format("Failed:                %d%n", failed));
        if (locked > 0) {
            account.append(String.format("Locked (Object Lock):  %d%n", locked));
        }
        if (capped) {
            account.append(String.format("Left by MAX_DELETES:   %d%n", leftByCap));
        }
        account.append(String.format("Left to delete:        %d", left()));
        if (uploadsCutoff != null) {
            account.append(String.format("%nIncomplete uploads:    %d listed, %d initiated before %s; aborted: %d,"
                    + " failed: %d", uploadsScanned, uploadsExpired, uploadsCutoff, uploadsAborted, uploadsFailed));
        }
        if (TIME_BUDGET.equals(stoppedBy)) {
            account.append(String.format("%nStopped early to stay within the time limit; resume after: %s",
                    resumeAfter));
        } else if (LISTING_FAILED.equals(stoppedBy)) {
            account.append(resumeAfter == null
                    ? String.format("%nThe listing failed before its first key: nothing was examined")
                    : String.format("%nThe listing failed after %s: keys after it were not examined", resumeAfter));
        }
        return account.toString();
    }

    /** A run of rules: one line per rule, then the totals. */
    private String totalAccount(String mode) {
        StringBuilder account = new StringBuilder();
        if (failure != null) {
            account.append("FAILED: ").append(failure).append('\n');
        }
        account.append("s3-sweeper run of ").append(rules.size()).append(rules.size() == 1 ? " rule" : " rules")
                .append(mode).append('\n')
                .append(String.format("Bucket:                %s (versioning: %s)%n", bucket, versioning))
                .append(String.format("Prefix:                %s%n", prefix.isEmpty() ? "(whole bucket)" : prefix));
        for (SweepSummary r : rules) {
            account.append(String.format("Rule %s (%s, %s): %s%n", r.rule(), r.prefix(),
                    AgeWords.of(r.retentionDays(), r.olderThan()), r.ruleLine()));
        }
        account.append(String.format("Objects scanned:       %d (%d selected by the filters)%n", scanned, matched));
        if (keptLatest > 0) {
            account.append(String.format("Kept as newest:        %d%n", keptLatest));
        }
        account.append(String.format("To delete:             %d%n", expired))
                .append(String.format("Deleted:               %d (%d bytes)%n", deleted, bytesDeleted))
                .append(String.format("Failed:                %d%n", failed));
        if (locked > 0) {
            account.append(String.format("Locked (Object Lock):  %d%n", locked));
        }
        if (capped) {
            account.append(String.format("Left by MAX_DELETES:   %d%n", leftByCap));
        }
        account.append(String.format("Left to delete:        %d", left()));
        if (TIME_BUDGET.equals(stoppedBy)) {
            account.append(String.format("%nStopped early to stay within the time limit; resume after: %s",
                    resumeAfter));
        }
        return account.toString();
    }

    /** A rule's counts in one line. */
    private String ruleLine() {
        StringBuilder line = new StringBuilder(String.format("scanned %d, to delete %d, deleted %d, failed %d",
                scanned, expired, deleted, failed));
        if (keptLatest > 0) {
            line.append(", kept as newest ").append(keptLatest);
        }
        if (capped) {
            line.append(", left by MAX_DELETES ").append(leftByCap);
        }
        if (!complete) {
            line.append(TIME_BUDGET.equals(stoppedBy) ? (scanned == 0 && resumeAfter == null
                    ? ", not run (time limit)" : ", stopped by the time limit after " + resumeAfter)
                    : ", listing failed");
        }
        return line.toString();
    }

    /** Fills a {@link SweepSummary} by name; each method sets the component of the same name. */
    public static final class Builder {
        private String bucket;
        private String prefix;
        private Integer retentionDays;
        private String olderThan;
        private String cutoff;
        private boolean dryRun;
        private String versioning = "Unknown";
        private long scanned;
        private long matched;
        private long expired;
        private long keptLatest;
        private Map<String, Long> keptByRule = Map.of();
        private long groups;
        private long heldPeak;
        private long deleted;
        private long failed;
        private long locked;
        private long leftByCap;
        private long bytesDeleted;
        private Integer noncurrentDays;
        private String noncurrentCutoff;
        private long versionsScanned;
        private long noncurrentDeleted;
        private long deleteMarkersDeleted;
        private String uploadsCutoff;
        private long uploadsScanned;
        private long uploadsExpired;
        private long uploadsAborted;
        private long uploadsFailed;
        private List<KeyError> errors = List.of();
        private List<KeyError> lockedKeys = List.of();
        private long listRequests;
        private long deleteRequests;
        private boolean complete = true;
        private String resumeAfter;
        private String stoppedBy;
        private String failure;
        private long durationMs;
        private List<FrontierEntry> resumeFrontier = List.of();

        private Builder() {
        }

        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        public Builder retentionDays(Integer retentionDays) {
            this.retentionDays = retentionDays;
            return this;
        }

        public Builder olderThan(String olderThan) {
            this.olderThan = olderThan;
            return this;
        }

        public Builder cutoff(String cutoff) {
            this.cutoff = cutoff;
            return this;
        }

        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        public Builder versioning(String versioning) {
            this.versioning = versioning;
            return this;
        }

        public Builder scanned(long scanned) {
            this.scanned = scanned;
            return this;
        }

        public Builder matched(long matched) {
            this.matched = matched;
            return this;
        }

        public Builder expired(long expired) {
            this.expired = expired;
            return this;
        }

        public Builder keptByRule(Map<String, Long> keptByRule) {
            this.keptByRule = keptByRule;
            return this;
        }

        public Builder groups(long groups) {
            this.groups = groups;
            return this;
        }

        public Builder heldPeak(long heldPeak) {
            this.heldPeak = heldPeak;
            return this;
        }

        public Builder keptLatest(long keptLatest) {
            this.keptLatest = keptLatest;
            return this;
        }

        public Builder deleted(long deleted) {
            this.deleted = deleted;
            return this;
        }

        public Builder failed(long failed) {
            this.failed = failed;
            return this;
        }

        public Builder locked(long locked) {
            this.locked = locked;
            return this;
        }

        public Builder leftByCap(long leftByCap) {
            this.leftByCap = leftByCap;
            return this;
        }

        public Builder bytesDeleted(long bytesDeleted) {
            this.bytesDeleted = bytesDeleted;
            return this;
        }

        public Builder noncurrentDays(Integer noncurrentDays) {
            this.noncurrentDays = noncurrentDays;
            return this;
        }

        public Builder noncurrentCutoff(String noncurrentCutoff) {
            this.noncurrentCutoff = noncurrentCutoff;
            return this;
        }

        public Builder versionsScanned(long versionsScanned) {
            this.versionsScanned = versionsScanned;
            return this;
        }

        public Builder noncurrentDeleted(long noncurrentDeleted) {
            this.noncurrentDeleted = noncurrentDeleted;
            return this;
        }

        public Builder deleteMarkersDeleted(long deleteMarkersDeleted) {
            this.deleteMarkersDeleted = deleteMarkersDeleted;
            return this;
        }

        public Builder uploadsCutoff(String uploadsCutoff) {
            this.uploadsCutoff = uploadsCutoff;
            return this;
        }

        public Builder uploadsScanned(long uploadsScanned) {
            this.uploadsScanned = uploadsScanned;
            return this;
        }

        public Builder uploadsExpired(long uploadsExpired) {
            this.uploadsExpired = uploadsExpired;
            return this;
        }

        public Builder uploadsAborted(long uploadsAborted) {
            this.uploadsAborted = uploadsAborted;
            return this;
        }

        public Builder uploadsFailed(long uploadsFailed) {
            this.uploadsFailed = uploadsFailed;
            return this;
        }

        public Builder errors(List<KeyError> errors) {
            this.errors = errors;
            return this;
        }

        public Builder lockedKeys(List<KeyError> lockedKeys) {
            this.lockedKeys = lockedKeys;
            return this;
        }

        public Builder listRequests(long listRequests) {
            this.listRequests = listRequests;
            return this;
        }

        public Builder deleteRequests(long deleteRequests) {
            this.deleteRequests = deleteRequests;
            return this;
        }

        public Builder complete(boolean complete) {
            this.complete = complete;
            return this;
        }

        public Builder resumeAfter(String resumeAfter) {
            this.resumeAfter = resumeAfter;
            return this;
        }

        public Builder stoppedBy(String stoppedBy) {
            this.stoppedBy = stoppedBy;
            return this;
        }

        public Builder failure(String failure) {
            this.failure = failure;
            return this;
        }

        public Builder durationMs(long durationMs) {
            this.durationMs = durationMs;
            return this;
        }

        public Builder resumeFrontier(List<FrontierEntry> resumeFrontier) {
            this.resumeFrontier = resumeFrontier;
            return this;
        }

        public SweepSummary build() {
            return new SweepSummary(null, bucket, prefix, retentionDays, olderThan, cutoff, dryRun, versioning, scanned,
                    matched, expired, keptLatest, keptByRule, groups, heldPeak, deleted, failed, locked, leftByCap > 0,
                    leftByCap, bytesDeleted, noncurrentDays, noncurrentCutoff, versionsScanned, noncurrentDeleted,
                    deleteMarkersDeleted, uploadsCutoff, uploadsScanned, uploadsExpired, uploadsAborted, uploadsFailed,
                    errors,
                    lockedKeys, listRequests, deleteRequests, complete, resumeAfter, stoppedBy, failure, durationMs,
                    resumeFrontier, null);
        }
    }
}
