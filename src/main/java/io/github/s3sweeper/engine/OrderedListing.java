package io.github.s3sweeper.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The entries under a prefix in exactly the order one listing chain would return them, fetched by several chains
 * at once.
 *
 * <p>A listing chain costs one round trip per page. When the keys are hierarchical, a listing with the {@code /}
 * delimiter names the sub-prefixes, and each sub-prefix is listed by a chain of its own, up to {@code concurrency}
 * of them running ahead of the consumer. The consumer still takes the entries in key order: keys under a common
 * prefix sort together, and S3 sorts common prefixes among the keys, so walking the delimited listing and
 * replacing each common prefix by its own listing gives the same sequence as the plain listing. Every rule that
 * depends on order (the cap, resuming after a key, a key's versions arriving newest first) therefore sees what a
 * sequential run sees.
 *
 * <p>Flat keys come back from the delimited listing as plain pages: one chain, as before. When the sub-prefixes
 * turn out to hold too few keys for a request each to pay, the rest of the prefix is listed as one chain from the
 * last key taken.
 *
 * <p>Memory: each running chain holds at most {@value #PAGES_AHEAD} pages it fetched ahead plus the one in hand,
 * and the discovery at most the same; nothing grows with the size of the bucket.
 *
 * @param <E> what a page holds: objects, or versions and delete markers
 */
final class OrderedListing<E> implements AutoCloseable {

    /** One response: entries in key order, the common prefixes when delimited, and where the next page starts. */
    record Page<E>(List<E> entries, List<String> commonPrefixes, String next, String nextVersion) {
        Page {
            entries = List.copyOf(entries);
            commonPrefixes = List.copyOf(commonPrefixes);
        }

        boolean last() {
            return next == null;
        }
    }

    /** Sends one listing request. */
    interface Source<E> {
        /**
         * @param previous the page before this one in the same chain, or null for the chain's first request
         */
        Page<E> fetch(String prefix, boolean delimited, String startAfter, Page<E> previous);
    }

    static final String DELIMITER = "/";
    /** Pages a chain fetches before the consumer takes them. */
    static final int PAGES_AHEAD = PageChain.PAGES_AHEAD;
    private static final int KEYS_PER_PAGE = 1000;
    private static final int RAMP_START = 2;
    private static final int RAMP_STEP = 2;

    private final Source<E> source;
    private final Function<E, String> keyOf;
    private final String prefix;
    private final String startAfter;
    private final int concurrency;
    private final ExecutorService fetchers;
    private final AtomicLong requests = new AtomicLong();
    private final Set<PageChain<?>> chains = ConcurrentHashMap.newKeySet();
    /** What the delimited listing named and the consumer has not reached: runs of entries and sub-prefixes. */
    private final Deque<Segment<E>> segments = new ArrayDeque<>();
    private PageChain<E> discovery;
    private PageChain<E> current;
    private boolean currentIsSubPrefix;
    private String lastPrefix;
    private String lastKey;
    private long subPrefixesDone;
    private long keysInSubPrefixes;
    private int entriesQueued;

    /**
     * @param startAfter  list only keys after this one, or null
     * @param concurrency sub-prefix chains at once; 1 lists the prefix as one chain on the caller's thread
     */
    OrderedListing(Source<E> source, Function<E, String> keyOf, String prefix, String startAfter, int concurrency) {
        this.source = Objects.requireNonNull(source, "source");
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.startAfter = startAfter;
        this.concurrency = concurrency;
        if (concurrency <= 1) {
            fetchers = null;
            current = new PageChain<>(source, prefix, false, startAfter, null, requests, chains);
            return;
        }
        fetchers = Executors.newFixedThreadPool(concurrency + 1, runnable -> {
            Thread thread = new Thread(runnable, "s3-sweeper-list");
            thread.setDaemon(true);
            return thread;
        });
        String head = subPrefixHolding(startAfter);
        if (head != null) {
            // A resumed run starts inside a sub-prefix; whether a server names that sub-prefix again in a listing
            // that starts after one of its keys varies, so its remainder is listed here and skipped there.
            segments.add(new Segment.Sub<>(head, startAfter));
            lastPrefix = head;
        }
        discovery = new PageChain<>(source, prefix, true, startAfter, fetchers, requests, chains);
    }

    /** Chains started and not yet finished: at most the window, the discovery and the fallback chain. */
    int chainsHeld() {
        return chains.size();
    }

    /** List requests sent so far, answered or not. */
    long requests() {
        return requests.get();
    }

    /**
     * The next entries in listing order: a page, or the part of a delimited page between two sub-prefixes.
     *
     * @return null once every entry under the prefix has been returned
     * @throws RuntimeException what the request for these entries failed with (an {@code SdkException} from S3)
     */
    List<E> next() {
        while (true) {
            if (current != null) {
                Page<E> page = current.take();
                if (page != null) {
                    if (page.entries().isEmpty()) {
                        continue;
                    }
                    if (currentIsSubPrefix) {
                        keysInSubPrefixes += page.entries().size();
                    }
                    return taken(page.entries());
                }
                current = null;
                if (currentIsSubPrefix) {
                    subPrefixesDone++;
                    if (subPrefixesTooSmall()) {
                        listTheRestAsOneChain();
                    }
                }
                continue;
            }
            discover();
            Segment<E> segment = segments.poll();
            if (segment == null) {
                return null;
            }
            if (segment instanceof Segment.Entries<E> entries) {
                entriesQueued -= entries.entries().size();
                return taken(entries.entries());
            }
            Segment.Sub<E> sub = (Segment.Sub<E>) segment;
            current = sub.chain != null ? sub.chain : start(sub);
            currentIsSubPrefix = true;
            startAhead();
        }
    }

    /**
     * Whether anything may follow what {@link #next()} returned last. Waits for the chain in hand to say whether it
     * has another page; true when unsure.
     */
    boolean more() {
        return (current != null && !current.ended()) || !segments.isEmpty()
                || (discovery != null && !discovery.ended());
    }

    /**
     * Like {@link #more()}, but without waiting for a page in flight: true unless the listing is known to have
     * ended. What a run that has spent its time budget asks, since waiting for one more page could cost the margin
     * it keeps before the function's timeout; stopping where the listing had in fact ended only leaves a resumed run
     * nothing to do.
     */
    boolean mayHaveMore() {
        return (current != null && !current.knownEnded()) || !segments.isEmpty()
                || (discovery != null && !discovery.knownEnded());
    }

    /** Stops every chain and waits briefly for requests in flight, so that the request count is final. */
    @Override
    public void close() {
        for (PageChain<?> chain : List.copyOf(chains)) {
            chain.cancel();
        }
        if (fetchers != null) {
            fetchers.shutdown();
            try {
                // A cancelled chain stops after the request it is waiting for. Not waited for long: the run may be
                // at its time budget, and a page it will not use must not hold back its report.
                fetchers.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<E> taken(List<E> entries) {
        lastKey = keyOf.apply(entries.get(entries.size() - 1));
        return entries;
    }

    /**
     * Below about one page per {@code concurrency} sub-prefixes, the requests the sub-prefixes cost take more
     * round trips than one chain through the same keys would.
     */
    private boolean subPrefixesTooSmall() {
        return subPrefixesDone >= 2L * concurrency
                && keysInSubPrefixes * concurrency < subPrefixesDone * KEYS_PER_PAGE;
    }

    private void listTheRestAsOneChain() {
        for (Segment<E> segment : segments) {
            if (segment instanceof Segment.Sub<E> sub && sub.chain != null) {
                sub.chain.cancel();
            }
        }
        segments.clear();
        entriesQueued = 0;
        if (discovery != null) {
            discovery.cancel();
            discovery = null;
        }
        // Every entry up to lastKey was taken, and a key's versions never straddle a finished sub-prefix.
        current = new PageChain<>(source, prefix, false, lastKey != null ? lastKey : startAfter, fetchers, requests,
                chains);
        currentIsSubPrefix = false;
    }

    /**
     * Reads delimited pages until sub-prefixes enough to keep every chain busy are known, or the listing ends.
     * Reads ahead only what has arrived, and never more than {@value #PAGES_AHEAD} pages of entries.
     */
    private void discover() {
        while (discovery != null && (segments.isEmpty() || (subPrefixesKnown() < concurrency
                && entriesQueued < PAGES_AHEAD * KEYS_PER_PAGE && discovery.ready()))) {
            Page<E> page = discovery.take();
            if (page == null) {
                discovery = null;
                break;
            }
            split(page);
        }
        startAhead();
    }

    /** Adds a delimited page to the segments: its entries and common prefixes, merged in key order. */
    private void split(Page<E> page) {
        List<E> run = new ArrayList<>();
        int p = 0;
        List<String> prefixes = page.commonPrefixes();
        for (E entry : page.entries()) {
            String key = keyOf.apply(entry);
            while (p < prefixes.size() && Keys.compare(prefixes.get(p), key) < 0) {
                flush(run);
                addSubPrefix(prefixes.get(p++));
            }
            if (lastPrefix != null && key.startsWith(lastPrefix)) {
                continue; // already listed through its sub-prefix
            }
            run.add(entry);
        }
        flush(run);
        while (p < prefixes.size()) {
            addSubPrefix(prefixes.get(p++));
        }
    }

    private void flush(List<E> run) {
        if (!run.isEmpty()) {
            entriesQueued += run.size();
            segments.add(new Segment.Entries<>(List.copyOf(run)));
            run.clear();
        }
    }

    private void addSubPrefix(String subPrefix) {
        // A server may name a sub-prefix again on the page after the one that ended with it.
        if (lastPrefix != null && Keys.compare(subPrefix, lastPrefix) <= 0) {
            return;
        }
        lastPrefix = subPrefix;
        segments.add(new Segment.Sub<>(subPrefix, null));
    }

    private int subPrefixesKnown() {
        int count = current != null && currentIsSubPrefix ? 1 : 0;
        for (Segment<E> segment : segments) {
            if (segment instanceof Segment.Sub<E>) {
                count++;
            }
        }
        return count;
    }

    /** Starts the chains of the next sub-prefixes, so that {@code concurrency} of them run at once. */
    private void startAhead() {
        // Slow start: the first pages are what the first deletes wait for, and they arrive sooner when they do not
        // share the network and the CPU (parsing) with a full window of chains at once.
        long window = Math.min(concurrency, RAMP_START + RAMP_STEP * subPrefixesDone);
        int running = current != null && currentIsSubPrefix ? 1 : 0;
        for (Segment<E> segment : segments) {
            if (running >= window) {
                return;
            }
            if (segment instanceof Segment.Sub<E> sub) {
                if (sub.chain == null) {
                    sub.chain = start(sub);
                }
                running++;
            }
        }
    }

    private PageChain<E> start(Segment.Sub<E> sub) {
        return new PageChain<>(source, sub.prefix, false, sub.startAfter, fetchers, requests, chains);
    }

    /** The sub-prefix of the listed prefix that holds {@code key}, or null when the key is directly under it. */
    private String subPrefixHolding(String key) {
        if (key == null || !key.startsWith(prefix)) {
            return null;
        }
        int slash = key.indexOf(DELIMITER, prefix.length());
        return slash < 0 ? null : key.substring(0, slash + 1);
    }

    private sealed interface Segment<E> {
        record Entries<E>(List<E> entries) implements Segment<E> {
        }

        final class Sub<E> implements Segment<E> {
            final String prefix;
            final String startAfter;
            PageChain<E> chain;

            Sub(String prefix, String startAfter) {
                this.prefix = prefix;
                this.startAfter = startAfter;
            }
        }
    }
}
