package io.github.s3sweeper.engine;

import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.rules.DeleteCap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Collects what the rules chose into batches of at most {@value #MAX_BATCH} entries, hands each to a
 * {@link BatchSender} as soon as it fills (at most {@code concurrency} in flight while the listing goes on), and
 * records every entry's outcome. Whether an entry is sent at all is {@link DeleteCap}'s decision.
 */
final class Deleter {

    /** DeleteObjects accepts at most this many keys per request. */
    static final int MAX_BATCH = 1000;

    private final BatchSender sender;
    private final DeleteCap cap;
    private final Tally tally;
    private final SweepListener listener;
    private final int concurrency;
    private final Semaphore inFlight;
    private final ExecutorService senders;
    private final AtomicReference<Throwable> senderFailure = new AtomicReference<>();
    private Map<Target.Id, Target> batch = new LinkedHashMap<>();

    /**
     * @param concurrency DeleteObjects requests in flight while listing goes on; 1 sends each batch from the
     *                    listing thread, as a plain sequential run does
     */
    Deleter(BatchSender sender, DeleteCap cap, Tally tally, SweepListener listener, int concurrency) {
        this.sender = sender;
        this.cap = cap;
        this.tally = tally;
        this.listener = listener;
        this.concurrency = concurrency;
        this.inFlight = new Semaphore(concurrency);
        this.senders = concurrency > 1 ? Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "s3-sweeper-delete");
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    /** Takes one entry the rules chose; sends the batch once it is full. */
    void schedule(Target target) {
        if (batch.containsKey(target.id())) {
            return; // an entry listed twice by a misbehaving server is one entry, counted once
        }
        tally.expired++;
        switch (cap.next()) {
            case LEFT_BY_CAP -> {
                tally.leftByCap++;
                listener.onLeftByCap(target);
            }
            case WOULD_DELETE -> listener.onExpired(target);
            case DELETE -> {
                listener.onExpired(target);
                batch.put(target.id(), target);
                if (batch.size() == MAX_BATCH) {
                    flush();
                }
            }
        }
    }

    /** Sends what the batch holds: on the listing thread, or handed to a sender once one of them is free. */
    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        List<Target> full = List.copyOf(batch.values());
        batch = new LinkedHashMap<>();
        if (senders == null) {
            record(sender.send(full));
            return;
        }
        // Waiting here for a free sender holds the listing back: at most `concurrency` batches are ever in memory.
        inFlight.acquireUninterruptibly();
        senders.execute(() -> {
            try {
                record(sender.send(full));
            } catch (Throwable e) {
                senderFailure.compareAndSet(null, e);
            } finally {
                inFlight.release();
            }
        });
    }

    /** Sends the last batch and waits until every request in flight is answered. */
    void finish() {
        flush();
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

    private void record(List<BatchSender.Outcome> outcomes) {
        for (BatchSender.Outcome outcome : outcomes) {
            Target target = outcome.target();
            switch (outcome.result()) {
                case DELETED -> {
                    tally.delete(target);
                    listener.onDeleted(target);
                }
                case LOCKED -> {
                    KeyError error = new KeyError(target.key(), target.versionId(), outcome.code(), outcome.message());
                    tally.lock(error);
                    listener.onLocked(error);
                }
                case FAILED -> {
                    KeyError error = new KeyError(target.key(), target.versionId(), outcome.code(), outcome.message());
                    tally.fail(error);
                    listener.onFailed(error);
                }
            }
        }
    }
}
