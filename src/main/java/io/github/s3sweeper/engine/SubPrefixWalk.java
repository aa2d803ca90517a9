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
 *       the first unfinished one got: everything up to it is done. Units after it may be done too; a resumed run
 *       lists them again and finds what they deleted gone.</li>
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
     * @param failure     what stopped the listing, other than the time budget; null if nothing did
     * @param outOfTime   the time budget stopped it before its end
     * @param requests    list requests sent
     */
    record Result(boolean complete, String resumeAfter, Throwable failure, boolean outOfTime, long requests) {
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

    /** Runs the walk to its end, its time budget or its first failure; deletions chosen may still be in flight. */
    Result run() {
        nodes.push(new Node(prefix, startAfter, 0));
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
        return new Result(complete, resume != null ? resume : startAfter, progress.failure(), outOfTime && !complete,
                requests.get());
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
                    decider.decide(entries);
                    unit.lastKey = keyOf.apply(entries.get(entries.size() - 1));
                    decidedAny = true;
                    pagesDecided.incrementAndGet();
                    unit.keys += entries.size();
                }
                stream.send();
                checkBudget();
            }
        } catch (Throwable e) {
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
            if (node.depth < MAX_DEPTH && node.lastSubKnown() && subsWaiting() == 0) {
                // The last sub-prefix, with workers to spare: it may hold most of the keys, so its own
                // sub-prefixes are worth listing at once.
                nodes.push(new Node(sub.prefix, sub.startAfter, node.depth + 1));
                continue;
            }
            running.incrementAndGet();
            return progress.take(node, sub.prefix, sub.startAfter);
        }
        return null;
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

        Node(String prefix, String startAfter, int depth) {
            this.prefix = prefix;
            this.startAfter = startAfter;
            this.depth = depth;
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
            if (listedAll && unit.prefix != null && unit.remainderOf == null) {
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
