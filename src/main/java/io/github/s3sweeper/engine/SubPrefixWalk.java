package io.github.s3sweeper.engine;

import io.github.s3sweeper.report.FrontierEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Decides the entries under a prefix with up to {@code concurrency} sub-prefixes in hand at once, each decided as its
 * own pages arrive, so the listing runs at full concurrency however many pages a sub-prefix holds, and the deletes
 * of different sub-prefixes (different S3 partitions) are in flight together.
 *
 * <p>Which entries are chosen does not depend on the order of the sub-prefixes: each entry's decision is its own,
 * keep-newest keeps the newest N of all whatever the order they are offered in, and a key's versions never straddle
 * two sub-prefixes. What does depend on order is kept exact:
 * <ul>
 *   <li>The resume point. Units of work (a sub-prefix, a run of direct keys) are taken in key order and numbered;
 *       {@link Result#resumeAfter()} is the last key of the longest run of finished units from the start, or how far
 *       the first unfinished one got: everything up to it is done. Units after it may be done too, or part-way:
 *       {@link Result#frontier()} says which sub-prefixes and how far, and a run resumed with it ({@link #resuming})
 *       lists none of them again, nor decides again a key it says is decided. What the frontier cannot name (a
 *       sub-prefix inside a range listed as one chain, an entry it dropped to stay bounded) a resumed run lists again,
 *       deciding only what the frontier does not cover.</li>
 *   <li>A listing failure stops the units after the one that failed, and those before it finish, as one chain would
 *       have got that far.</li>
 *   <li>{@code MAX_DELETES} needs the entries in key order, so a capped run does not come here
 *       ({@link OrderedListing}).</li>
 * </ul>
 *
 * <p>The direct keys of a prefix, and every key of a prefix whose sub-prefixes turn out too small for a request each,
 * are decided in order by whichever worker takes them. The last sub-prefix of a finished delimited listing is listed
 * with the delimiter again, so that a prefix whose keys sit mostly under one sub-prefix still spreads over several.
 *
 * <p>Memory: each worker holds its chain's {@value PageChain#PAGES_AHEAD} pages ahead and one in hand, each delimited
 * listing as much again, and the bookkeeping one small record per unit taken after the first unfinished one (at
 * most {@value #MAX_OPEN_UNITS}); nothing grows with the size of the bucket.
 *
 * @param <E> what a page holds: objects, or versions and delete markers
 */
final class SubPrefixWalk<E> {

    /** Decides one listing's entries, in the order that listing returns them. */
    interface Decider<E> {
        /** Decides entries in order; deletions go to the stream the decider was made for. */
        void decide(List<E> entries);

        /** The listing it decided has ended ({@code listedAll}) or was cut short. */
        void end(boolean listedAll);
    }

    /**
     * @param complete    every entry under the prefix was decided
     * @param resumeAfter every key up to this one was decided (the run's own start when none was)
     * @param frontier    when not complete: what beyond {@code resumeAfter} was decided too, for a run resumed after
     *                    it; empty when complete
     * @param failure     what stopped the listing, other than the time budget; null if nothing did
     * @param outOfTime   the time budget stopped it before its end
     * @param requests    list requests sent
     */
    record Result(boolean complete, String resumeAfter, ResumeFrontier frontier, Throwable failure, boolean outOfTime,
                  long requests) {
    }

    static final String DELIMITER = OrderedListing.DELIMITER;
    static final int MAX_OPEN_UNITS = 10_000;
    private static final int KEYS_PER_PAGE = 1000;
    /** Levels of sub-prefixes listed with the delimiter below the prefix. */
    private static final int MAX_DEPTH = 4;
    /** Listings running at first; one more may start for each page decided. */
    private static final int RAMP_START = 2;

    private final OrderedListing.Source<E> source;
    private final Function<E, String> keyOf;
    private final String prefix;
    private final String startAfter;
    private final int concurrency;
    private final Budget budget;
    private final Function<Deleter.Stream, Decider<E>> deciders;
    private final Deleter deleter;
    private final ExecutorService fetchers;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong pagesDecided = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<PageChain<?>> live = ConcurrentHashMap.newKeySet();
    /** Delimited listings in progress, innermost on top; guarded by {@code this}, the lock for taking units. */
    private final Deque<Node> nodes = new ArrayDeque<>();
    private final Progress progress = new Progress();
    /** What earlier runs decided beyond {@code startAfter}; set before {@link #run()}. */
    private ResumeFrontier frontier = ResumeFrontier.NONE;
    private volatile boolean outOfTime;
    private volatile boolean decidedAny;
    /** A request kept failing transiently until the budget was spent: stop at once, as after a failure. */
    private volatile boolean budgetSpent;
    /** The failure of the lowest-numbered unit; guarded by {@code progress}. */
    private Throwable failure;
    private volatile long failedSeq = Long.MAX_VALUE;

    /**
     * @param deciders makes the decider of one listing, feeding the deletions it chooses into the given stream
     */
    SubPrefixWalk(OrderedListing.Source<E> source, Function<E, String> keyOf, String prefix, String startAfter,
                  int concurrency, Budget budget, Function<Deleter.Stream, Decider<E>> deciders, Deleter deleter) {
        this.source = Objects.requireNonNull(source, "source");
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.startAfter = startAfter;
        this.concurrency = concurrency;
        this.budget = Objects.requireNonNull(budget, "budget");
        this.deciders = Objects.requireNonNull(deciders, "deciders");
        this.deleter = Objects.requireNonNull(deleter, "deleter");
        this.fetchers = Executors.newCachedThreadPool(daemons("s3-sweeper-list"));
    }

    /**
     * Resumes a walk cut short: with {@code startAfter} its {@link Result#resumeAfter()}, and this its
     * {@link Result#frontier()}. Sub-prefixes the frontier says are done are not listed, those it says got part-way
     * are listed from where they got, and keys it says were decided are not decided again.
     */
    SubPrefixWalk<E> resuming(ResumeFrontier given) {
        frontier = given.within(prefix);
        return this;
    }

    /** Runs the walk to its end, its time budget or its first failure; deletions chosen may still be in flight. */
    Result run() {
        nodes.push(new Node(null, prefix, startAfter));
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, daemons("s3-sweeper-sweep"));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                running.add(workers.submit(this::work));
            }
            for (Future<?> worker : running) {
                try {
                    worker.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    fail(Long.MIN_VALUE, e.getCause()); // work() records its own; this is a bug's last resort
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while sweeping", e);
                }
            }
            synchronized (this) {
                // A budget spent as the last page came in still leaves nothing to do.
                while (!nodes.isEmpty() && failedSeq == Long.MAX_VALUE && nodes.peek().knownExhausted()) {
                    Node node = nodes.pop();
                    node.exhausted = true;
                    node.decider.end(true);
                    node.stream.retire();
                }
                for (Node node : nodes) {
                    node.decider.end(false);
                }
            }
        } finally {
            workers.shutdownNow();
            for (PageChain<?> chain : List.copyOf(live)) {
                chain.cancel();
            }
            fetchers.shutdown();
            try {
                // A cancelled chain stops after the request it is waiting for; not waited for long, as the run may
                // be at its time budget.
                fetchers.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean complete;
        synchronized (this) {
            complete = nodes.isEmpty() && failedSeq == Long.MAX_VALUE && progress.allDone();
        }
        String resume = progress.resumeAfter();
        String resumeAfter = resume != null ? resume : startAfter;
        return new Result(complete, resumeAfter, complete ? ResumeFrontier.NONE : progress.frontier(resumeAfter),
                progress.failure(), outOfTime && !complete, requests.get());
    }

    private void work() {
        Deleter.Stream stream = deleter.stream();
        try {
            for (Unit unit = next(); unit != null; unit = next()) {
                if (unit.inline != null) {
                    unit.inline.send();
                } else {
                    run(unit, stream);
                }
            }
        } catch (Throwable e) {
            fail(Long.MIN_VALUE, e);
        } finally {
            stream.retire();
        }
    }

    /** Lists one sub-prefix, or the rest of a prefix as one chain, deciding each page as it arrives. */
    private void run(Unit unit, Deleter.Stream stream) {
        String after = unit.startAfter;
        if (unit.remainderOf != null) {
            // The rest of the prefix starts after the last key of the units before: they must be finished first.
            if (!progress.awaitAllBefore(unit, this::halted)) {
                progress.finish(unit, false);
                running.decrementAndGet();
                return;
            }
            after = later(progress.resumeAfter(), unit.remainderOf.startAfter);
        }
        Decider<E> decider = deciders.apply(stream);
        PageChain<E> chain = new PageChain<>(source, unit.prefix, false, after, fetchers, requests, live);
        boolean listedAll = false;
        try {
            while (!(halted(unit) && !chain.knownEnded())) {
                OrderedListing.Page<E> page = chain.take(() -> halted(unit));
                if (page == null) {
                    listedAll = chain.knownEnded();
                    break;
                }
                List<E> entries = page.entries();
                if (!entries.isEmpty()) {
                    List<E> undecided = undecided(entries);
                    if (!undecided.isEmpty()) {
                        decider.decide(undecided);
                    }
                    // Past keys an earlier run decided too: they are decided all the same.
                    unit.lastKey = keyOf.apply(entries.get(entries.size() - 1));
                    decidedAny = true;
                    pagesDecided.incrementAndGet();
                    unit.keys += entries.size();
                }
                stream.send();
                checkBudget();
            }
        } catch (Throwable e) {
            unit.failed = true;
            fail(unit.seq, e);
        } finally {
            chain.cancel();
            decider.end(listedAll);
            progress.finish(unit, listedAll);
            running.decrementAndGet();
        }
    }

    /**
     * The next unit in key order: a sub-prefix to list, or the direct keys of a delimited page, decided here in
     * order and returned only so their stream can send what filled. Null once there is nothing more to take, the
     * budget is spent or a unit failed.
     */
    private synchronized Unit next() {
        while (!halted()) {
            Node node;
            Object item;
            try {
                // The waits come before the node is looked at: another worker may finish it meanwhile (the monitor is
                // released while waiting), and units are numbered in the order they are pulled, which is key order
                // only if nobody pulls between a pull and its numbering.
                awaitRamp();
                progress.awaitRoom(this::halted);
                node = nodes.peek();
                if (node == null) {
                    return null;
                }
                item = node.pull();
            } catch (Throwable e) {
                fail(progress.nextSeq(), e);
                return null;
            }
            if (item == null) {
                if (halted()) {
                    return null; // stopped while waiting for a page: the node is not finished
                }
                node.decider.end(true);
                nodes.pop();
                node.exhausted = true;
                node.stream.retire();
                continue;
            }
            if (item instanceof Entries<?> run) {
                @SuppressWarnings("unchecked")
                List<E> entries = ((Entries<E>) run).entries;
                Unit unit = progress.take(node, null, null);
                node.decider.decide(entries);
                unit.lastKey = keyOf.apply(entries.get(entries.size() - 1));
                decidedAny = true;
                pagesDecided.incrementAndGet();
                progress.finish(unit, true);
                unit.inline = node.stream;
                checkBudget();
                return unit;
            }
            Sub sub = (Sub) item;
            if (sub.remainder) {
                running.incrementAndGet();
                return progress.take(node, node.prefix, null).remainderOf(node);
            }
            FrontierEntry given = frontier.entryFor(sub.prefix);
            if (given != null && given.after() == null) {
                // Done in an earlier run: a unit still, so that a frontier this run reports says so again.
                Unit unit = progress.take(node, sub.prefix, null);
                unit.skipped = true;
                progress.finish(unit, true);
                continue;
            }
            // Part-way in an earlier run: it goes on from there.
            String from = given != null ? later(sub.startAfter, given.after()) : sub.startAfter;
            boolean listedInParts = frontier.hasEntriesInside(sub.prefix);
            if (node.depth < MAX_DEPTH && (listedInParts || (node.lastSubKnown() && subsWaiting() == 0))) {
                // The last sub-prefix, with workers to spare: it may hold most of the keys, so its own
                // sub-prefixes are worth listing at once. Or an earlier run listed them one by one, and the frontier
                // says which of them it finished.
                nodes.push(new Node(node, sub.prefix, from));
                continue;
            }
            running.incrementAndGet();
            return progress.take(node, sub.prefix, from);
        }
        return null;
    }

    /** The entries an earlier run did not decide: all of them, but in a run resumed with a frontier. */
    private List<E> undecided(List<E> entries) {
        if (frontier.isEmpty()) {
            return entries;
        }
        List<E> undecided = new ArrayList<>(entries.size());
        for (E entry : entries) {
            if (!frontier.covers(keyOf.apply(entry))) {
                undecided.add(entry);
            }
        }
        return undecided;
    }

    /**
     * Slow start: the first pages are what the first deletes wait for, and they arrive sooner when they do not share
     * the network and the CPU (parsing) with a full window of listings at once.
     */
    private void awaitRamp() {
        while (running.get() >= Math.min(concurrency, RAMP_START + pagesDecided.get()) && !halted()) {
            try {
                wait(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sweeping", e);
            }
        }
    }

    private int subsWaiting() {
        int count = 0;
        for (Node node : nodes) {
            count += node.subsQueued;
        }
        return count;
    }

    private void checkBudget() {
        if (budget.exhausted()) {
            outOfTime = true;
        }
    }

    /**
     * Whether a unit is to stop: a unit before it failed, or the budget is spent and it has decided a page (so that
     * every run moves the resume point on, however short its budget).
     */
    private boolean halted(Unit unit) {
        return failedSeq < unit.seq || budgetSpent || (outOfTime && unit.lastKey != null);
    }

    /**
     * Whether to stop handing out units: a unit failed, or the budget is spent and this run has decided a key (else
     * its resume point would not move).
     */
    private boolean halted() {
        return failedSeq != Long.MAX_VALUE || budgetSpent || (outOfTime && decidedAny);
    }

    private void fail(long seq, Throwable e) {
        if (e instanceof Retrying.BudgetSpent) {
            outOfTime = true;
            budgetSpent = true;
            return;
        }
        progress.fail(seq, e);
    }

    private static String later(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Keys.compare(a, b) >= 0 ? a : b;
    }

    private static java.util.concurrent.ThreadFactory daemons(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private record Entries<E>(List<E> entries) {
    }

    private record Sub(String prefix, String startAfter, boolean remainder) {
    }

    /** A prefix listed with the delimiter: its direct keys decided in order, its sub-prefixes handed out. */
    private final class Node {
        /** The listing that named this prefix; null for the walk's own. */
        final Node parent;
        final String prefix;
        final String startAfter;
        final int depth;
        final Deleter.Stream stream = deleter.stream();
        final Decider<E> decider = deciders.apply(stream);
        private final Deque<Object> queued = new ArrayDeque<>();
        private PageChain<E> discovery;
        private String lastPrefix;
        private boolean lastPulledSub;
        int subsQueued;
        /** The rest of the prefix goes to one chain: no more sub-prefixes are handed out. */
        private boolean givenUp;
        /** Sub-prefixes of this node finished, and the keys they held; written under {@code progress}. */
        long subsDone;
        long keysInSubs;
        /** Every item of the listing was taken; written under the walk's lock, read once the workers are done. */
        boolean exhausted;

        Node(Node parent, String prefix, String startAfter) {
            this.parent = parent;
            this.prefix = prefix;
            this.startAfter = startAfter;
            this.depth = parent == null ? 0 : parent.depth + 1;
            String head = subPrefixHolding(startAfter);
            if (head != null) {
                // A resumed run starts inside a sub-prefix; whether a server names that sub-prefix again in a
                // listing that starts after one of its keys varies, so its remainder is listed here and skipped
                // there.
                queued.add(new Sub(head, startAfter, false));
                subsQueued++;
                lastPrefix = head;
            }
            discovery = new PageChain<>(source, prefix, true, startAfter, fetchers, requests, live);
        }

        /** The next item in key order, reading the delimited listing as needed; null at its end. */
        Object pull() {
            // Only right after a sub-prefix: the direct keys decided so far then end with a whole key, none of its
            // versions left on a page not yet read.
            if (!givenUp && lastPulledSub && subPrefixesTooSmall()) {
                giveUpToRemainder();
                lastPulledSub = false;
                return queued.poll();
            }
            while (queued.isEmpty()) {
                if (givenUp || discovery == null) {
                    return null;
                }
                OrderedListing.Page<E> page = discovery.take(SubPrefixWalk.this::halted);
                if (page == null) {
                    if (!discovery.knownEnded()) {
                        return null; // halted while waiting
                    }
                    discovery = null;
                    return null;
                }
                split(page);
            }
            Object item = queued.poll();
            lastPulledSub = item instanceof Sub;
            if (item instanceof Sub) {
                subsQueued--;
            }
            return item;
        }

        /** Whether nothing is left to pull, known without waiting. */
        boolean knownExhausted() {
            return queued.isEmpty() && (givenUp || discovery == null || discovery.knownEnded());
        }

        /** Whether the item just pulled was the last sub-prefix this listing names. */
        boolean lastSubKnown() {
            return subsQueued == 0 && (discovery == null || discovery.knownEnded());
        }

        /**
         * Below about one page per {@code concurrency} sub-prefixes, the requests the sub-prefixes cost take more
         * round trips than one chain through the same keys would.
         */
        private boolean subPrefixesTooSmall() {
            long done;
            long keys;
            synchronized (progress) {
                done = subsDone;
                keys = keysInSubs;
            }
            return done >= 2L * concurrency && keys * concurrency < done * KEYS_PER_PAGE;
        }

        private void giveUpToRemainder() {
            if (discovery != null) {
                discovery.cancel();
                discovery = null;
            }
            queued.clear();
            subsQueued = 0;
            givenUp = true;
            queued.add(new Sub(prefix, null, true));
        }

        /** Queues a delimited page: its direct keys and its sub-prefixes, merged in key order. */
        private void split(OrderedListing.Page<E> page) {
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
                if (!frontier.isEmpty() && frontier.covers(key)) {
                    continue; // decided by an earlier run
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
                queued.add(new Entries<>(List.copyOf(run)));
                run.clear();
            }
        }

        private void addSubPrefix(String subPrefix) {
            // A server may name a sub-prefix again on the page after the one that ended with it.
            if (lastPrefix != null && Keys.compare(subPrefix, lastPrefix) <= 0) {
                return;
            }
            lastPrefix = subPrefix;
            queued.add(new Sub(subPrefix, null, false));
            subsQueued++;
        }

        /** The sub-prefix of this prefix that holds {@code key}, or null when the key is directly under it. */
        private String subPrefixHolding(String key) {
            if (key == null || !key.startsWith(prefix)) {
                return null;
            }
            int slash = key.indexOf(DELIMITER, prefix.length());
            return slash < 0 ? null : key.substring(0, slash + 1);
        }
    }

    /** How far the units of one delimited listing got, taken in key order: through which key all are finished. */
    private static final class NodeReach {
        String through;
        /** A unit not finished was met: nothing after it counts. */
        boolean blocked;

        NodeReach(String startAfter) {
            through = startAfter;
        }

        void add(SubPrefixWalk<?>.Unit unit) {
            if (blocked) {
                return;
            }
            if (!unit.complete) {
                blocked = true;
                if (unit.failed || unit.lastKey == null) {
                    return;
                }
            }
            if (unit.lastKey != null) {
                through = unit.lastKey;
            }
        }
    }

    /** One unit of work, numbered in key order. */
    private final class Unit {
        final long seq;
        final Node node;
        final String prefix;
        final String startAfter;
        Node remainderOf;
        /** The last key decided; written by the unit's worker. */
        volatile String lastKey;
        volatile long keys;
        /** Listed to its end; guarded by {@code progress}. */
        boolean complete;
        /** Its listing or a decision failed: what it got through is not reported as decided. */
        volatile boolean failed;
        /** Done in an earlier run, by the frontier: not listed. */
        boolean skipped;
        Deleter.Stream inline;

        Unit(long seq, Node node, String prefix, String startAfter) {
            this.seq = seq;
            this.node = node;
            this.prefix = prefix;
            this.startAfter = startAfter;
        }

        Unit remainderOf(Node owner) {
            this.remainderOf = owner;
            return this;
        }
    }

    /**
     * Which units are taken and which finished, in key order: the finished run from the start collapses into its
     * last key, so what is held is the units taken after the first unfinished one.
     */
    private final class Progress {
        private final Deque<Unit> open = new ArrayDeque<>();
        private String doneThrough;
        private long nextSeq;

        synchronized long nextSeq() {
            return nextSeq;
        }

        synchronized Unit take(Node node, String unitPrefix, String unitStartAfter) {
            Unit unit = new Unit(nextSeq++, node, unitPrefix, unitStartAfter);
            open.add(unit);
            return unit;
        }

        /** A unit's worker is done with it: listed to its end, or cut short (then nothing after it counts). */
        synchronized void finish(Unit unit, boolean listedAll) {
            unit.complete = listedAll;
            if (listedAll && unit.prefix != null && unit.remainderOf == null && !unit.skipped) {
                unit.node.subsDone++;
                unit.node.keysInSubs += unit.keys;
            }
            while (!open.isEmpty() && open.peek().complete) {
                Unit head = open.poll();
                if (head.lastKey != null) {
                    doneThrough = head.lastKey;
                }
            }
            notifyAll();
        }

        synchronized void fail(long seq, Throwable e) {
            if (seq < failedSeq) {
                failedSeq = seq;
                failure = e;
            }
            notifyAll();
        }

        synchronized Throwable failure() {
            return failure;
        }

        synchronized boolean allDone() {
            return open.isEmpty();
        }

        /** Everything up to this key is decided. */
        synchronized String resumeAfter() {
            Unit head = open.peek();
            return head != null && head.lastKey != null ? head.lastKey : doneThrough;
        }

        /**
         * What beyond {@code resumeAfter} is decided: the sub-prefixes listed as units of their own that finished or
         * got part-way (a run of direct keys is decided with its delimited listing, which a resumed run reads again;
         * a remainder is a range, not a sub-prefix), before any unit that failed; and what the frontier this run was
         * given says beyond it, where this run did not say more.
         */
        synchronized ResumeFrontier frontier(String resumeAfter) {
            List<FrontierEntry> found = new ArrayList<>();
            Set<String> prefixes = new HashSet<>();
            java.util.Map<Node, NodeReach> nodeReach = new java.util.LinkedHashMap<>();
            for (Unit unit : open) {
                if (unit.seq >= failedSeq) {
                    break;
                }
                for (Node node = unit.node; node != null && node.parent != null; node = node.parent) {
                    nodeReach.computeIfAbsent(node, n -> new NodeReach(n.startAfter)).add(unit);
                }
                if (unit.prefix == null || unit.remainderOf != null || unit.failed) {
                    continue;
                }
                // A unit's own start is decided too: the run's start, or where an earlier run got.
                String through = unit.lastKey != null ? unit.lastKey : unit.startAfter;
                FrontierEntry entry = unit.complete ? FrontierEntry.done(unit.prefix)
                        : through == null ? null : new FrontierEntry(unit.prefix, through);
                if (entry != null && ResumeFrontier.saysMoreThan(entry, resumeAfter)) {
                    found.add(entry);
                    prefixes.add(unit.prefix);
                }
            }
            for (java.util.Map.Entry<Node, NodeReach> reach : nodeReach.entrySet()) {
                // A delimited listing below the walk's own: its units (and those of the listings below it) are taken
                // in its key order, so the finished ones before its first unfinished one are a finished part of it,
                // and all of it when every item was taken and finished. This is what covers its direct keys.
                Node node = reach.getKey();
                NodeReach r = reach.getValue();
                FrontierEntry entry = node.exhausted && !r.blocked ? FrontierEntry.done(node.prefix)
                        : r.through == null ? null : new FrontierEntry(node.prefix, r.through);
                if (entry != null && ResumeFrontier.saysMoreThan(entry, resumeAfter)) {
                    found.add(entry);
                    prefixes.add(node.prefix);
                }
            }
            for (FrontierEntry given : frontier.entries()) {
                if (!prefixes.contains(given.prefix()) && ResumeFrontier.saysMoreThan(given, resumeAfter)) {
                    found.add(given);
                }
            }
            return ResumeFrontier.of(found);
        }

        /** Waits until every unit before this one is finished; false if the walk halted first. */
        synchronized boolean awaitAllBefore(Unit unit, java.util.function.BooleanSupplier halted) {
            while (open.peek() != unit) {
                if (halted.getAsBoolean()) {
                    return false;
                }
                waitBriefly();
            }
            return true;
        }

        /** Waits while too many units are held, so that the bookkeeping stays bounded. */
        synchronized void awaitRoom(java.util.function.BooleanSupplier halted) {
            while (open.size() >= MAX_OPEN_UNITS && !halted.getAsBoolean()) {
                waitBriefly();
            }
        }

        private void waitBriefly() {
            // Halting is signalled by volatile flags, not by notify: a short wait rechecks them.
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sweeping", e);
            }
        }
    }
}
