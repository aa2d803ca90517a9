package io.github.s3sweeper.engine;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One listing chain: the pages of one prefix, each request continuing where the last ended. Fetched on the
 * consumer's thread, or ahead of it by a thread of its own that holds at most {@value #PAGES_AHEAD} pages.
 *
 * @param <E> what a page holds
 */
final class PageChain<E> {

    /** Pages a chain fetches before the consumer takes them. */
    static final int PAGES_AHEAD = 2;
    private static final Object END = new Object();

    private final OrderedListing.Source<E> source;
    private final String prefix;
    private final boolean delimited;
    private final String startAfter;
    private final AtomicLong requests;
    private final Set<PageChain<?>> live;
    private final BlockingQueue<Object> fetched;
    private OrderedListing.Page<E> previous;
    /** The last page the consumer took: whether it was the chain's last is known without waiting. */
    private OrderedListing.Page<E> lastTaken;
    private Object peeked;
    private boolean done;
    /** Ended by a failed request: not an end of the listing. */
    private boolean failed;
    private volatile boolean cancelled;

    /**
     * @param fetchers where the chain fetches ahead, or null to fetch each page on the consumer's thread when taken
     * @param requests counts every request sent
     * @param live     the chains not yet finished or cancelled; this one is in it until then
     */
    PageChain(OrderedListing.Source<E> source, String prefix, boolean delimited, String startAfter,
              ExecutorService fetchers, AtomicLong requests, Set<PageChain<?>> live) {
        this.source = source;
        this.prefix = prefix;
        this.delimited = delimited;
        this.startAfter = startAfter;
        this.requests = requests;
        this.live = live;
        this.fetched = fetchers != null ? new ArrayBlockingQueue<>(PAGES_AHEAD) : null;
        live.add(this);
        if (fetchers != null) {
            fetchers.execute(this::fetchAll);
        }
    }

    String prefix() {
        return prefix;
    }

    private OrderedListing.Page<E> request() {
        requests.incrementAndGet();
        previous = source.fetch(prefix, delimited, startAfter, previous);
        return previous;
    }

    private void fetchAll() {
        try {
            OrderedListing.Page<E> page;
            do {
                page = request();
            } while (hand(page) && !page.last() && !cancelled);
            hand(END);
        } catch (RuntimeException | Error e) {
            hand(e);
        }
    }

    /** Queues an item for the consumer; false once the chain is cancelled. */
    private boolean hand(Object item) {
        try {
            while (!cancelled) {
                if (fetched.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Whether the next page, or the end, can be taken without waiting; a failure waits for its turn. */
    boolean ready() {
        if (peeked == null) {
            peeked = fetched.poll();
        }
        return peeked != null && !(peeked instanceof Throwable);
    }

    /** Whether the chain is known to have no page left, without waiting for one in flight. */
    boolean knownEnded() {
        if (done) {
            return !failed;
        }
        if (cancelled) {
            return false; // what it fetched was dropped, and an end it queued after that says nothing
        }
        if (fetched == null) {
            return previous != null && previous.last();
        }
        if (lastTaken != null && lastTaken.last()) {
            return true;
        }
        if (peeked == null) {
            peeked = fetched.poll();
        }
        return peeked == END;
    }

    /** Whether the chain has no page left; may wait for the fetcher to find out. */
    boolean ended() {
        if (done) {
            return !failed;
        }
        if (cancelled) {
            return false;
        }
        if (fetched == null) {
            return previous != null && previous.last();
        }
        if (peeked == null) {
            peeked = poll(() -> false);
        }
        return peeked == END;
    }

    /** The next page, or null at the end of the chain. */
    OrderedListing.Page<E> take() {
        return take(() -> false);
    }

    /**
     * The next page, or null at the end of the chain; also null, the chain left as it was, once {@code giveUp}
     * says so while the page is still on its way.
     *
     * @throws RuntimeException what the request failed with
     */
    OrderedListing.Page<E> take(BooleanSupplier giveUp) {
        if (done) {
            return null;
        }
        if (fetched == null) {
            if (previous != null && previous.last()) {
                end();
                return null;
            }
            try {
                return request();
            } catch (RuntimeException | Error e) {
                failed = true;
                throw e;
            }
        }
        Object item = peeked != null ? peeked : poll(giveUp);
        if (item == null) {
            return null; // given up: the page, when it comes, stays for nobody
        }
        peeked = null;
        if (item == END) {
            end();
            return null;
        }
        if (item instanceof RuntimeException e) {
            failed = true;
            end();
            throw e;
        }
        if (item instanceof Error e) {
            failed = true;
            end();
            throw e;
        }
        @SuppressWarnings("unchecked")
        OrderedListing.Page<E> page = (OrderedListing.Page<E>) item;
        lastTaken = page;
        return page;
    }

    /** Stops the fetcher after its current request; what it fetched is dropped. */
    void cancel() {
        cancelled = true;
        if (fetched != null) {
            fetched.clear(); // a fetcher waiting for room sees the flag now, not after its wait times out
        }
        live.remove(this);
    }

    /** Forgets a finished chain: what it fetched last must not stay reachable for the rest of the run. */
    private void end() {
        done = true;
        live.remove(this);
    }

    private Object poll(BooleanSupplier giveUp) {
        try {
            while (true) {
                Object item = fetched.poll(50, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
                if (giveUp.getAsBoolean()) {
                    return null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a listing page", e);
        }
    }
}
