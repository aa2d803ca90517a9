package io.github.s3sweeper.engine;

import io.github.s3sweeper.aws.ListingPage;
import io.github.s3sweeper.aws.Listings;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.SweepProgress;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.rules.DeleteCap;
import io.github.s3sweeper.rules.RetentionRule;
import io.github.s3sweeper.rules.StoredObject;
import io.github.s3sweeper.rules.UploadRule;
import io.github.s3sweeper.rules.VersionEntry;
import io.github.s3sweeper.rules.VersionRule;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Lists the prefix page by page, feeds each entry to the rules as its page arrives, and hands what they choose
 * to a {@link Deleter} that sends DeleteObjects batches of at most 1,000 as they fill. Memory holds one page, one
 * batch and the keep-newest heap, whatever the size of the bucket.
 */
public final class Sweeper {

    private final S3Client s3;
    private final Clock clock;
    private final SweepSettings settings;
    private final SweepListener listener;
    private final Budget budget;
    /** Left before the deadline when the deletes drain: the summary, the metrics and a chain's next invocation. */
    static final long DRAIN_RESERVE_NANOS = 5_000_000_000L;
    private final Consumer<Duration> pause;
    private final Retrying retrying;
    /** ListMultipartUploads' max-uploads: S3's most, or fewer for a test that needs several pages. */
    private int uploadPageSize = UploadSweep.MAX_PAGE;
    /** The bucket's versioning when the caller already asked (RULES: one bucket, several sweeps); null: ask. */
    private String knownVersioning;
    /** The run in progress or the last one, for {@link #progress()}; null before the first. */
    private volatile Live live;

    public Sweeper(S3Client s3, Clock clock, SweepSettings settings, SweepListener listener) {
        this(s3, clock, settings, listener, Budget.UNLIMITED);
    }

    public Sweeper(S3Client s3, Clock clock, SweepSettings settings, SweepListener listener, Budget budget) {
        this(s3, clock, settings, listener, budget, Retrying::sleep);
    }

    /** @param pause how to wait between retries of requests and entries that failed transiently (tests: no wait) */
    public Sweeper(S3Client s3, Clock clock, SweepSettings settings, SweepListener listener, Budget budget,
                   Consumer<Duration> pause) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.retrying = new Retrying(budget, pause);
    }

    /** A sweep of a bucket whose versioning an earlier sweep of the same run already asked (null: ask it). */
    Sweeper versioningKnown(String versioning) {
        knownVersioning = versioning;
        return this;
    }

    /** Lists incomplete multipart uploads {@code size} at a time (1 to 1,000): tests see several pages with few. */
    Sweeper uploadPageSize(int size) {
        uploadPageSize = size; // checked where it is used, by UploadSweep
        return this;
    }

    /**
     * Runs one sweep: with ABORT_INCOMPLETE_UPLOADS_AFTER, first the incomplete multipart uploads under the prefix
     * (before the objects, so that a run the time budget stops, which a chain continues without them, has done
     * them), then the objects.
     *
     * @return the summary of a run in which every chosen entry was deleted, locked or left by the cap (on a dry
     *         run: counted)
     * @throws SweepFailedException when listing failed or some entries could not be deleted; every batch that could
     *                              run has run, and the exception's summary says exactly what was deleted
     */
    public SweepSummary run() {
        long startNanos = System.nanoTime();
        // Milliseconds are finer than S3's whole-second LastModified already; nanoseconds would only clutter the report.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant cutoff = now.minus(settings.age().duration());
        Instant noncurrentCutoff = settings.noncurrentDays().isPresent()
                ? now.minus(Duration.ofDays(settings.noncurrentDays().getAsInt())) : null;
        RetentionRule rule = new RetentionRule(settings.selection(), cutoff, settings.keepPolicy(), settings.groupBy(),
                settings.maxHeldObjects());
        // The decision lock: the keep-newest heap is shared by every listing, and so are the decisions' counts.
        Tally tally = new Tally(rule);
        Live running = new Live(tally.decisions, tally.outcomes, startNanos);
        live = running;
        try {
            abortUploads(now, tally);
            return sweep(rule, tally, cutoff, noncurrentCutoff, startNanos);
        } finally {
            running.end();
        }
    }

    /** ABORT_INCOMPLETE_UPLOADS_AFTER: the uploads initiated before its cutoff are aborted (or, on a dry run, counted). */
    private void abortUploads(Instant now, Tally tally) {
        if (settings.abortUploadsAfter().isEmpty()) {
            return;
        }
        UploadRule rule = UploadRule.initiatedMoreThan(settings.abortUploadsAfter().get(), settings.prefix(), now);
        tally.uploadsCutoff = rule.cutoff();
        tally.uploads = new UploadSweep(s3, settings.bucket(), settings.prefix(), rule, settings.dryRun(), retrying,
                budget, listener, uploadPageSize);
        tally.uploads.run();
    }

    /** Why the uploads' pass did not do all it should, or null (also when there was none). */
    private String uploadsFailure(Tally tally) {
        return tally.uploads == null ? null : Failures.ofUploads(settings, tally.uploads);
    }

    /**
     * The counts of the run in progress, or of the last one once it has ended; safe to call from any thread while
     * {@link #run()} goes on, and cheap enough to call a few times a second.
     */
    public SweepProgress progress() {
        Live run = live;
        return run == null ? SweepProgress.NOT_STARTED : run.progress();
    }

    private SweepSummary sweep(RetentionRule rule, Tally tally, Instant cutoff, Instant noncurrentCutoff,
                               long startNanos) {
        BatchSender sender = new BatchSender(s3, settings.bucket(), settings.bypassGovernance(), retrying, pause,
                tally.outcomes::request);
        Deleter deleter = new Deleter(sender, new DeleteCap(settings.maxDeletes(), settings.dryRun()),
                tally.decisions, tally.outcomes, listener, settings.deleteConcurrency());
        RetentionRule.Decisions current = currentDecisions(tally.decisions, deleter.stream(), listener);

        tally.versioning = knownVersioning != null ? knownVersioning : versioning();
        boolean listed = false;
        RetentionRule.TooManyHeld tooManyHeld = null;
        try {
            if (settings.sweepsVersions()) {
                listVersions(noncurrentCutoff, rule, deleter, tally);
            } else {
                listCurrent(rule, deleter, tally);
            }
            settle(rule, current, tally);
            listed = true;
        } catch (RetentionRule.TooManyHeld e) {
            // The keep rules cannot decide more within their memory: what they hold stays, what they let go is
            // deleted, and the run says why it stopped.
            tally.stoppedEarly(SweepSummary.KEEP_RULES_MEMORY);
            settle(rule, current, tally);
            listed = true;
            tooManyHeld = e;
        } catch (SdkException e) {
            tally.stoppedEarly(SweepSummary.LISTING_FAILED);
            settle(rule, current, tally); // what the keep rules hold stays; this only counts it
            // Entries already chosen are still deleted, so the report covers everything decided so far.
            deleter.finish();
            tally.failure = Failures.ofListing(e, settings, tally.outcomes.deleted(), tally.decisions.expiredSoFar(),
                    tally.lastKey);
            tally.fail(uploadsFailure(tally));
            SweepSummary summary = tally.summary(settings, cutoff, noncurrentCutoff, elapsedMs(startNanos));
            throw new SweepFailedException(summary.failure(), summary, e);
        } finally {
            if (!listed) {
                deleter.abort(); // any other failure: no sender outlives the run
            }
        }
        deleter.finish();
        if (tooManyHeld != null) {
            tally.fail(tooManyHeld.getMessage() + "; " + tally.outcomes.deleted() + " deleted before it stopped, and "
                    + (tally.lastKey == null ? "not every key" : "not every key after " + tally.lastKey)
                    + " was examined");
        }
        long failed = tally.outcomes.failed();
        if (failed > 0) {
            tally.fail(Failures.ofDeletes(settings, failed, tally.decisions.expiredSoFar(),
                    tally.outcomes.failureCodes()));
        }
        tally.fail(uploadsFailure(tally));
        SweepSummary summary = tally.summary(settings, cutoff, noncurrentCutoff, elapsedMs(startNanos));
        if (summary.failure() != null) {
            throw new SweepFailedException(summary.failure(), summary, tooManyHeld);
        }
        return summary;
    }

    /**
     * Decides what the keep rules still hold, once the listing has ended or stopped. A KEEP_WITHIN window takes its
     * exact start only when this run saw each group whole: the prefix from its start to its end, not resumed (a part
     * of a group keeps its window's margin: the safe side).
     */
    private void settle(RetentionRule rule, RetentionRule.Decisions current, Tally tally) {
        boolean whole = tally.complete && settings.startAfter() == null && settings.resumeFrontier().isEmpty();
        synchronized (rule) {
            tally.decisions.keepRules(rule.groups(), rule.heldPeak());
            if (whole) {
                rule.finish(current);
            } else {
                rule.finishPartial(current);
            }
        }
    }

    /** Enabled, Suspended or Disabled; Unknown when the role may not ask (or the bucket is missing). */
    private String versioning() {
        try {
            BucketVersioningStatus status = s3.getBucketVersioning(b -> b.bucket(settings.bucket())).status();
            return status == null ? "Disabled" : status.toString();
        } catch (SdkException e) {
            return "Unknown";
        }
    }

    /** What the retention rules' decisions on current objects do: count them, and send the chosen to a stream. */
    static RetentionRule.Decisions currentDecisions(DecisionCounts counts, Deleter.Stream stream,
                                                    SweepListener listener) {
        return new RetentionRule.Decisions() {
            @Override
            public void keptBy(StoredObject object, String group, List<String> rules) {
                counts.keptBy(rules);
                listener.onKept(object.key(), object.lastModified(), group, rules);
            }

            @Override
            public void delete(StoredObject object) {
                counts.matched();
                stream.schedule(new Target(object.key(), null, Target.Kind.CURRENT, object.size(),
                        object.lastModified()));
            }

            @Override
            public void keep(StoredObject object, RetentionRule.Keep reason) {
                if (reason != RetentionRule.Keep.NOT_SELECTED) {
                    counts.matched();
                }
                if (reason == RetentionRule.Keep.KEPT_LATEST) {
                    counts.keptLatest();
                }
            }
        };
    }

    private void listCurrent(RetentionRule rule, Deleter deleter, Tally tally) {
        // One lock over the rule and the counts: the keep-newest heap is shared by every listing, and a page is
        // decided in a fraction of the time its request takes.
        DecisionCounts counts = tally.decisions;
        this.<S3Object>walk(this::objectsPage, S3Object::key, tally, deleter, stream -> {
            RetentionRule.Decisions decisions = currentDecisions(counts, stream, listener);
            return new SubPrefixWalk.Decider<S3Object>() {
                @Override
                public void decide(List<S3Object> entries) {
                    synchronized (rule) {
                        counts.scanned(entries.size());
                        for (S3Object object : entries) {
                            if (object.lastModified() != null) {
                                rule.offer(new StoredObject(object.key(), object.lastModified(), sizeOf(object.size())),
                                        decisions);
                            }
                        }
                    }
                }

                @Override
                public void end(boolean listedAll) {
                }
            };
        });
    }

    /**
     * Hands every entry under the prefix to the deciders, page by page, until the listing ends or the time budget
     * is spent: sub-prefixes at once when the keys are hierarchical and no cap needs them in key order, else in
     * listing order.
     *
     * @return false when the time budget stopped the listing before its end
     * @throws SdkException what listing failed with; {@code tally.lastKey} says after which key everything was
     *                      decided
     */
    private <E> boolean walk(OrderedListing.Source<E> source, Function<E, String> keyOf, Tally tally, Deleter deleter,
                             Function<Deleter.Stream, SubPrefixWalk.Decider<E>> deciders) {
        // The listing also stops deciding when the deletes already decided would take the run past its deadline.
        Budget listingBudget = budget.orWhenDrainExceeds(deleter::drainEstimateNanos, DRAIN_RESERVE_NANOS);
        if (settings.listConcurrency() > 1 && settings.maxDeletes().isEmpty()) {
            SubPrefixWalk.Result result = new SubPrefixWalk<>(source, keyOf, settings.prefix(), settings.startAfter(),
                    settings.listConcurrency(), listingBudget, deciders, deleter)
                    .resuming(ResumeFrontier.of(settings.resumeFrontier())).run();
            tally.listRequests = result.requests();
            tally.lastKey = result.resumeAfter();
            tally.frontier = result.frontier().entries();
            if (result.failure() instanceof RuntimeException e) {
                throw e;
            }
            if (result.failure() instanceof Error e) {
                throw e;
            }
            if (!result.complete()) {
                tally.stoppedEarly(SweepSummary.TIME_BUDGET);
                return false;
            }
            return true;
        }
        // One sequence in key order stops exactly at its resume point: nothing beyond it is decided, so it reports no
        // frontier, and a frontier it is given only names keys it lists again.
        Deleter.Stream stream = deleter.stream();
        SubPrefixWalk.Decider<E> decider = deciders.apply(stream);
        OrderedListing<E> listing = new OrderedListing<>(source, keyOf, settings.prefix(), settings.startAfter(),
                settings.listConcurrency());
        boolean listedAll = false;
        try {
            for (List<E> page = listing.next(); page != null; page = listing.next()) {
                decider.decide(page);
                tally.lastKey = keyOf.apply(page.get(page.size() - 1));
                stream.send();
                if (outOfTime(listing, listingBudget, tally)) {
                    return false;
                }
            }
            listedAll = true;
            return true;
        } catch (Retrying.BudgetSpent e) {
            // A page kept failing transiently until the budget was spent: the same stop as running out of time,
            // after the last key taken, not a failure.
            tally.stoppedEarly(SweepSummary.TIME_BUDGET);
            return false;
        } finally {
            decider.end(listedAll);
            listing.close();
            tally.listRequests = listing.requests();
        }
    }

    private OrderedListing.Page<S3Object> objectsPage(String prefix, boolean delimited, String startAfter,
                                                      OrderedListing.Page<S3Object> previous) {
        // URL-encoded keys survive the XML response intact: raw, a carriage return would come back as a line feed
        // and the wrong key would be sent for deletion. The SDK decodes them again.
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
                .bucket(settings.bucket())
                .encodingType(EncodingType.URL);
        if (!prefix.isEmpty()) {
            request.prefix(prefix);
        }
        if (delimited) {
            request.delimiter(OrderedListing.DELIMITER);
        }
        if (startAfter != null) {
            request.startAfter(startAfter);
        }
        if (previous != null) {
            request.continuationToken(previous.next());
        }
        ListObjectsV2Request built = request.build();
        // Read by the project's parser when the client carries it, by the SDK otherwise (aws/Listings).
        ListingPage response = retrying.call(() -> Listings.listObjectsV2(s3, built));
        List<S3Object> objects = new ArrayList<>(response.contents().size());
        for (S3Object object : response.contents()) {
            if (object.key() != null) {
                objects.add(object);
            }
        }
        List<String> prefixes = new ArrayList<>(response.commonPrefixes().size());
        for (String name : response.commonPrefixes()) {
            if (name != null) {
                prefixes.add(name);
            }
        }
        String next = Boolean.TRUE.equals(response.truncated()) ? response.continuation() : null;
        return new OrderedListing.Page<>(objects, prefixes, next, null);
    }

    private void listVersions(Instant noncurrentCutoff, RetentionRule rule, Deleter deleter, Tally tally) {
        DecisionCounts counts = tally.decisions;
        this.<VersionEntry>walk(this::versionsPage, VersionEntry::key, tally, deleter, stream -> {
            // A key's versions arrive together in one listing, so each listing has a version rule of its own.
            VersionRule versionRule = new VersionRule(settings.selection(), noncurrentCutoff,
                    settings.keepNoncurrent());
            RetentionRule.Decisions current = currentDecisions(counts, stream, listener);
            VersionRule.Decisions versions = new VersionRule.Decisions() {
                @Override
                public void current(VersionEntry entry) {
                    counts.scanned(1);
                    rule.offer(entry.asObject(), current);
                }

                @Override
                public void deleteNoncurrent(VersionEntry entry) {
                    stream.schedule(new Target(entry.key(), entry.versionId(), Target.Kind.NONCURRENT, entry.size(),
                            entry.lastModified()));
                }

                @Override
                public void deleteExpiredMarker(VersionEntry entry) {
                    stream.schedule(new Target(entry.key(), entry.versionId(), Target.Kind.EXPIRED_MARKER, 0,
                            entry.lastModified()));
                }

                @Override
                public void keep(VersionEntry entry) {
                }
            };
            return new SubPrefixWalk.Decider<VersionEntry>() {
                @Override
                public void decide(List<VersionEntry> entries) {
                    synchronized (rule) {
                        counts.versionsScanned(entries.size());
                        for (VersionEntry entry : entries) {
                            versionRule.offer(entry, versions);
                        }
                    }
                }

                @Override
                public void end(boolean listedAll) {
                    synchronized (rule) {
                        if (listedAll) {
                            versionRule.finish(versions);
                        } else {
                            // Versions of the last key that the next page would hold are left for the resumed run to
                            // skip: it starts after this key, so they stay, which is the safe side.
                            versionRule.abandon();
                        }
                    }
                }
            };
        });
    }

    private OrderedListing.Page<VersionEntry> versionsPage(String prefix, boolean delimited, String startAfter,
                                                           OrderedListing.Page<VersionEntry> previous) {
        ListObjectVersionsRequest.Builder request = ListObjectVersionsRequest.builder()
                .bucket(settings.bucket())
                .encodingType(EncodingType.URL);
        if (!prefix.isEmpty()) {
            request.prefix(prefix);
        }
        if (delimited) {
            request.delimiter(OrderedListing.DELIMITER);
        }
        if (previous != null) {
            request.keyMarker(previous.next()).versionIdMarker(previous.nextVersion());
        } else if (startAfter != null) {
            request.keyMarker(startAfter);
        }
        ListObjectVersionsRequest built = request.build();
        ListObjectVersionsResponse response = retrying.call(() -> s3.listObjectVersions(built));
        boolean truncated = Boolean.TRUE.equals(response.isTruncated());
        return new OrderedListing.Page<>(inListingOrder(response), names(response.commonPrefixes()),
                truncated ? response.nextKeyMarker() : null, truncated ? response.nextVersionIdMarker() : null);
    }

    private static List<String> names(List<CommonPrefix> prefixes) {
        return prefixes.stream().map(CommonPrefix::prefix).filter(Objects::nonNull).toList();
    }

    /**
     * After a page: true when the time budget is spent and more pages remain. The next page is then never
     * requested, and the report says the run stopped early and after which key to resume.
     */
    private boolean outOfTime(OrderedListing<?> listing, Budget listingBudget, Tally tally) {
        if (listingBudget.exhausted() && listing.mayHaveMore()) {
            tally.stoppedEarly(SweepSummary.TIME_BUDGET);
            return true;
        }
        return false;
    }

    /**
     * The SDK hands versions and delete markers over as two lists; S3 sent them interleaved, keys in order and each
     * key's entries newest first. Both lists keep that order, so merging them restores it.
     */
    static List<VersionEntry> inListingOrder(ListObjectVersionsResponse page) {
        List<VersionEntry> versions = new ArrayList<>(page.versions().size());
        for (ObjectVersion v : page.versions()) {
            if (v.key() != null && v.lastModified() != null) {
                versions.add(new VersionEntry(v.key(), versionId(v.versionId()), v.lastModified(), sizeOf(v.size()),
                        Boolean.TRUE.equals(v.isLatest()), false));
            }
        }
        List<VersionEntry> markers = new ArrayList<>(page.deleteMarkers().size());
        for (DeleteMarkerEntry m : page.deleteMarkers()) {
            if (m.key() != null && m.lastModified() != null) {
                markers.add(new VersionEntry(m.key(), versionId(m.versionId()), m.lastModified(), 0,
                        Boolean.TRUE.equals(m.isLatest()), true));
            }
        }
        List<VersionEntry> merged = new ArrayList<>(versions.size() + markers.size());
        int v = 0;
        int m = 0;
        while (v < versions.size() || m < markers.size()) {
            if (m == markers.size() || (v < versions.size() && LISTING_ORDER.compare(versions.get(v), markers.get(m)) <= 0)) {
                merged.add(versions.get(v++));
            } else {
                merged.add(markers.get(m++));
            }
        }
        return merged;
    }

    /** Keys in code-point (UTF-8 byte) order as S3 lists them; within a key the latest first, then newest first. */
    static final Comparator<VersionEntry> LISTING_ORDER = Comparator
            .comparing(VersionEntry::key, Keys::compare)
            .thenComparing(VersionEntry::latest, Comparator.reverseOrder())
            .thenComparing(VersionEntry::lastModified, Comparator.reverseOrder());

    private static String versionId(String id) {
        return id == null ? "null" : id;
    }

    private static long sizeOf(Long size) {
        return size == null ? 0L : size;
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** One run's thread-safe counts and its clock: all that {@link #progress()} reads, from any thread. */
    private static final class Live {
        private final DecisionCounts decisions;
        private final OutcomeCounts outcomes;
        private final long startNanos;
        /** The run's length once it has ended, so that its progress stops the clock; -1 while it runs. */
        private volatile long endedAfterNanos = -1;

        Live(DecisionCounts decisions, OutcomeCounts outcomes, long startNanos) {
            this.decisions = decisions;
            this.outcomes = outcomes;
            this.startNanos = startNanos;
        }

        void end() {
            endedAfterNanos = System.nanoTime() - startNanos;
        }

        SweepProgress progress() {
            long ended = endedAfterNanos;
            Duration elapsed = Duration.ofNanos(ended >= 0 ? ended : System.nanoTime() - startNanos);
            // Each count is counted after the one it follows from (sent after chosen, chosen after listed), so read
            // in the opposite order a snapshot never shows more deleted and failed than chosen.
            long deleted = outcomes.deleted();
            long failed = outcomes.failed();
            long expired = decisions.expiredSoFar();
            long scanned = decisions.scannedSoFar();
            return new SweepProgress(scanned, expired, deleted, failed, elapsed);
        }
    }
}
