package io.github.s3sweeper.engine;

import io.github.s3sweeper.rules.DeleteCap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Collects what the rules chose into batches of at most {@value #MAX_BATCH} entries, hands each to a
 * {@link BatchSender} as soon as it fills, and records every entry's outcome. Whether an entry is sent at all is
 * {@link DeleteCap}'s decision, taken in the order entries are scheduled.
 *
 * <p>Entries arrive through {@link Stream}s: one per listing that feeds entries in its own order (a sub-prefix's
 * chain, the direct keys of a prefix). Each stream fills batches of its own, so the batches in flight come from
 * different sub-prefixes when several are listed at once, and S3 serves them from different partitions instead of
 * queueing them all on one. At most {@code concurrency} batches are in flight in all, and at most
 * {@value #PER_STREAM} from one stream: more than that on one partition would only wait in its queue, or be
 * refused with 503 SlowDown.
 */
final class Deleter {

    /** DeleteObjects accepts at most this many keys per request. */
    static final int MAX_BATCH = 1000;
    /** Batches of one stream in flight at once. */
    static final int PER_STREAM = 4;

    private final BatchSender sender;
    private final DeleteCap cap;
    private final DecisionCounts decisions;
    private final OutcomeCounts outcomes;
    private final SweepListener listener;
    private final int concurrency;
    private final Semaphore inFlight;
    private final ExecutorService senders;
    private final AtomicReference<Throwable> senderFailure = new AtomicReference<>();
    /** Entries admitted to be sent, and of those, entries S3 has answered for: the difference is still to go. */
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    /** When the first batch went out; 0 before. */
    private final AtomicLong firstSendNanos = new AtomicLong();
    private final List<Stream> streams = new ArrayList<>();
    /** Where retired streams leave what they held, so that their part-filled batches go out together. */
    private final Stream leftovers;

    /**
     * @param decisions   where admissions are counted: entries arrive from the deciding side, under its lock
     * @param outcomes    where what S3 made of each sent entry is counted, from the sending threads
     * @param concurrency DeleteObjects requests in flight while listing goes on; 1 sends each batch from the
     *                    thread that filled it, as a plain sequential run does
     */
    Deleter(BatchSender sender, DeleteCap cap, DecisionCounts decisions, OutcomeCounts outcomes,
            SweepListener listener, int concurrency) {
        this.sender = sender;
        this.cap = cap;
        this.decisions = decisions;
        this.outcomes = outcomes;
        this.listener = listener;
        this.concurrency = concurrency;
        this.inFlight = new Semaphore(concurrency);
        this.senders = concurrency > 1 ? Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "s3-sweeper-delete");
            thread.setDaemon(true);
            return thread;
        }) : null;
        this.leftovers = stream();
    }

    /** A new stream of entries with batches of its own. */
    synchronized Stream stream() {
        Stream stream = new Stream();
        streams.add(stream);
        return stream;
    }

    /** Sends what every stream still holds and waits until every request in flight is answered. */
    void finish() {
        for (Stream stream : streamsNow()) {
            stream.flush();
        }
        if (senders != null) {
            inFlight.acquireUninterruptibly(concurrency);
            inFlight.release(concurrency);
            senders.shutdown();
        }
        Throwable failure = senderFailure.get();
        if (failure != null) {
            throw new IllegalStateException("a DeleteObjects sender failed; its batch is not accounted for", failure);
        }
    }

    /** Stops the senders of a run that failed other than by S3: none may outlive it. */
    void abort() {
        if (senders != null) {
            senders.shutdownNow();
        }
    }

    private synchronized List<Stream> streamsNow() {
        return List.copyOf(streams);
    }

    /** Counts a chosen entry and asks the cap what becomes of it; true when it is to be sent. */
    private synchronized boolean admit(Target target) {
        decisions.expired();
        switch (cap.next()) {
            case LEFT_BY_CAP -> {
                decisions.leftByCap();
                listener.onLeftByCap(target);
                return false;
            }
            case WOULD_DELETE -> {
                listener.onExpired(target);
                return false;
            }
            default -> {
                listener.onExpired(target);
                admitted.incrementAndGet();
                return true;
            }
        }
    }

    /**
     * One feed of chosen entries, in the order of one listing. {@link #schedule} only collects; full batches wait
     * in the stream until {@link #send} or {@link #flush}, so that a caller holding a lock over its decisions never
     * waits for a free sender while holding it.
     */
    final class Stream {
        private final Semaphore mine = new Semaphore(PER_STREAM);
        private Map<Target.Id, Target> batch = new LinkedHashMap<>();
        private final List<List<Target>> full = new ArrayList<>(2);

        private Stream() {
        }

        /** Takes one entry the rules chose: on the deciding side, under its lock. */
        synchronized void schedule(Target target) {
            if (batch.containsKey(target.id())) {
                return; // an entry listed twice by a misbehaving server is one entry, counted once
            }
            if (!admit(target)) {
                return;
            }
            batch.put(target.id(), target);
            if (batch.size() == MAX_BATCH) {
                full.add(List.copyOf(batch.values()));
                batch = new LinkedHashMap<>();
            }
        }

        /** Sends the batches that filled since the last call; waits for a free sender when all are busy. */
        void send() {
            List<List<Target>> ready;
            synchronized (this) {
                if (full.isEmpty()) {
                    return;
                }
                ready = List.copyOf(full);
                full.clear();
            }
            for (List<Target> targets : ready) {
                dispatch(targets);
            }
        }

        /**
         * Ends the stream: its full batches go, and what its open batch holds joins the other streams' leftovers,
         * to go in as few requests as they fill.
         */
        void retire() {
            List<Target> rest;
            synchronized (this) {
                rest = List.copyOf(batch.values());
                batch = new LinkedHashMap<>();
            }
            send();
            leftovers.adopt(rest);
            leftovers.send();
        }

        /** Takes entries another stream admitted already. */
        private synchronized void adopt(List<Target> targets) {
            for (Target target : targets) {
                batch.put(target.id(), target);
                if (batch.size() == MAX_BATCH) {
                    full.add(List.copyOf(batch.values()));
                    batch = new LinkedHashMap<>();
                }
            }
        }

        /** Sends the full batches and what the open one holds. */
        void flush() {
            synchronized (this) {
                if (!batch.isEmpty()) {
                    full.add(List.copyOf(batch.values()));
                    batch = new LinkedHashMap<>();
                }
            }
            send();
        }

        private void dispatch(List<Target> targets) {
            if (senders == null) {
                record(timed(targets));
                return;
            }
            // Waiting here holds this stream's listing back: memory holds at most `concurrency` batches in flight.
            mine.acquireUninterruptibly();
            inFlight.acquireUninterruptibly();
            senders.execute(() -> {
                try {
                    record(timed(targets));
                } catch (Throwable e) {
                    senderFailure.compareAndSet(null, e);
                } finally {
                    inFlight.release();
                    mine.release();
                }
            });
        }
    }

    private List<BatchSender.Outcome> timed(List<Target> targets) {
        firstSendNanos.compareAndSet(0, System.nanoTime());
        List<BatchSender.Outcome> outcomes = sender.send(targets);
        answered.addAndGet(targets.size());
        return outcomes;
    }

    /**
     * How long the entries admitted but not yet answered should take, at the rate S3 has answered them so far: at a
     * busy partition that is the queue of batches in flight and in the streams, which can hold tens of thousands of
     * keys; 0 until a first batch is answered.
     */
    long drainEstimateNanos() {
        long done = answered.get();
        long since = firstSendNanos.get();
        if (done == 0 || since == 0) {
            return 0;
        }
        long pending = Math.max(0, admitted.get() - done);
        return (long) ((double) pending * (System.nanoTime() - since) / done);
    }

    private void record(List<BatchSender.Outcome> batch) {
        outcomes.record(batch);
        for (BatchSender.Outcome outcome : batch) {
            switch (outcome.result()) {
                case DELETED -> listener.onDeleted(outcome.target());
                case LOCKED -> listener.onLocked(outcome.error());
                case FAILED -> listener.onFailed(outcome.error());
            }
        }
    }
}
