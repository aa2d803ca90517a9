package io.github.s3sweeper.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One bucket of {@link ModelS3}: its keys (a {@link KeyTable}), which of them are deleted, the object classes the
 * keys point to, the fills that made them (for the benchmark's check), and the bucket's delete partitions.
 */
final class ModelBucket {

    /** How S3 spreads a filled prefix's delete rate. */
    enum Partitioning {
        /** One partition for the whole prefix: every delete under it shares one rate. */
        PREFIX,
        /** One partition per first-level sub-prefix under the filled prefix, as S3 splits a busy prefix. */
        SUB_PREFIX
    }

    /** What a partition does with more deletes than its rate serves. */
    enum Throttling {
        /** Queues them: a delete finishes when its partitions have served the keys before it and its own. */
        QUEUE,
        /** Refuses a delete with 503 SlowDown when it would take a partition's backlog past the limit. */
        SLOW_DOWN
    }

    /** What an object is besides its key; thousands of objects share one, so a key needs one byte for it. */
    record ObjectClass(long lastModifiedMillis, long size, boolean old, byte[] isoDate, String httpDate,
                       String etag, byte[] listingTailV2, byte[] listingTailV1) {

        private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(ZoneOffset.UTC);
        /** HTTP's date, with the two-digit day S3 writes (RFC_1123_DATE_TIME would write "2 Oct"). */
        private static final DateTimeFormatter HTTP = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
                Locale.US).withZone(ZoneOffset.UTC);

        static ObjectClass of(long lastModifiedMillis, long size, boolean old) {
            // S3 keeps whole seconds: the listing's .000 and HeadObject's Last-Modified then name the same time.
            long seconds = Math.floorDiv(lastModifiedMillis, 1000) * 1000;
            Instant at = Instant.ofEpochMilli(seconds);
            String etag;
            try {
                etag = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                        .digest((size + "@" + seconds).getBytes(StandardCharsets.US_ASCII)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            String iso = ISO.format(at);
            // Everything of a listing entry after the key, written once per class instead of once per key.
            String tail = "</Key><LastModified>" + iso + "</LastModified><ETag>&quot;" + etag + "&quot;</ETag><Size>"
                    + size + "</Size>";
            String storage = "<StorageClass>STANDARD</StorageClass></Contents>";
            return new ObjectClass(seconds, size, old, iso.getBytes(StandardCharsets.US_ASCII), HTTP.format(at),
                    "\"" + etag + "\"", (tail + storage).getBytes(StandardCharsets.US_ASCII),
                    (tail + "<Owner><ID>" + OWNER_ID + "</ID><DisplayName>bench</DisplayName></Owner>" + storage)
                            .getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A fill: its prefix, how it is partitioned, its objects by class, and the neighbours it put outside it. */
    record Fill(byte[] prefix, Partitioning partitioning, long objects, long old, List<byte[]> neighbours) {
    }

    /** A key the caller adds, for tests with keys of their own choosing. */
    record NewObject(String key, long lastModifiedMillis, long size, boolean old) {
    }

    /** A partition's delete queue: when it has served every key given to it so far. */
    static final class Partition {
        long freeAtNanos;
    }

    static final String OWNER_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

    final String name;
    final long createdMillis = System.currentTimeMillis();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private KeyTable table = KeyTable.EMPTY;
    private BitSet deleted = new BitSet();
    private final List<ObjectClass> classes = new CopyOnWriteArrayList<>();
    private final List<Fill> fills = new CopyOnWriteArrayList<>();
    private volatile Throttling throttling = Throttling.QUEUE;
    private final Map<String, Partition> partitions = new HashMap<>();

    ModelBucket(String name) {
        this.name = name;
    }

    Throttling throttling() {
        return throttling;
    }

    void throttling(Throttling value) {
        throttling = value;
    }

    ObjectClass objectClass(int index) {
        return classes.get(index);
    }

    private int classIndex(long lastModifiedMillis, long size, boolean old) {
        ObjectClass wanted = ObjectClass.of(lastModifiedMillis, size, old);
        for (int i = 0; i < classes.size(); i++) {
            ObjectClass c = classes.get(i);
            if (c.lastModifiedMillis == wanted.lastModifiedMillis && c.size == size && c.old == old) {
                return i;
            }
        }
        if (classes.size() == 256) {
            throw new IllegalStateException("more than 256 object classes in bucket " + name);
        }
        classes.add(wanted);
        return classes.size() - 1;
    }

    /**
     * Generated objects under {@code prefix}: {@code objects} keys, flat ({@code prefix0000123.bak}) or spread
     * evenly over {@code subPrefixes} sub-prefixes ({@code prefixd0042/0000123.bak}); the even-numbered half
     * {@code oldMillis} old, the rest {@code youngMillis}; and old neighbours outside the prefix whose keys a
     * careless prefix match would take (the prefix without its slash, followed by "-", "." or a letter), plus keys
     * before and after it. Keys are written in order straight into the table.
     */
    Fill fill(String prefixText, long objects, int subPrefixes, Partitioning partitioning, long oldAgeMillis,
              long youngAgeMillis, long size) {
        if (objects < 0 || objects > 100_000_000 || subPrefixes < 0) {
            throw new IllegalArgumentException("objects from 0 to 100,000,000 and sub-prefixes at least 0");
        }
        byte[] prefix = prefixText.getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis();
        lock.writeLock().lock();
        try {
            int oldClass = classIndex(now - oldAgeMillis, size, true);
            int youngClass = classIndex(now - youngAgeMillis, size, false);
            int digits = Math.max(7, Long.toString(Math.max(0, objects - 1)).length());
            long perSub = subPrefixes == 0 ? objects : (objects + subPrefixes - 1) / subPrefixes;
            KeyTable.Builder generated = new KeyTable.Builder((int) objects,
                    (int) Math.min(Integer.MAX_VALUE - 16, objects * (prefix.length + digits + 10)));
            byte[] key = new byte[prefix.length + 6 + digits + 4];
            System.arraycopy(prefix, 0, key, 0, prefix.length);
            for (long i = 0; i < objects; i++) {
                int at = prefix.length;
                if (subPrefixes > 0) {
                    key[at++] = 'd';
                    at = digits(key, at, i / perSub, 4);
                    key[at++] = '/';
                }
                at = digits(key, at, i, digits);
                key[at++] = '.';
                key[at++] = 'b';
                key[at++] = 'a';
                key[at++] = 'k';
                generated.add(key, 0, at, i % 2 == 0 ? oldClass : youngClass);
            }
            List<byte[]> neighbours = neighbours(prefixText);
            KeyTable.Builder outside = new KeyTable.Builder(neighbours.size(), 256);
            neighbours.forEach(k -> outside.add(k, oldClass));
            KeyTable.Contents merged = KeyTable.merge(table, deleted, generated.build());
            merged = KeyTable.merge(merged.table(), merged.deleted(), outside.build());
            table = merged.table();
            deleted = merged.deleted();
            Fill fill = new Fill(prefix, partitioning, objects, (objects + 1) / 2, neighbours);
            fills.removeIf(f -> Arrays.equals(f.prefix(), prefix));
            fills.add(fill);
            return fill;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static int digits(byte[] into, int at, long value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            into[at + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    static List<byte[]> neighbours(String prefix) {
        String bare = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keys.add(String.format("other/%02d.bak", i));
        }
        keys.addAll(List.of(bare, bare + ".bak", bare + "-old/x.bak", bare + "x/y.bak", "0-first.bak",
                "zz/last.bak"));
        keys.removeIf(k -> k.startsWith(prefix));
        return keys.stream().distinct().map(k -> k.getBytes(StandardCharsets.UTF_8))
                .sorted(Arrays::compareUnsigned).toList();
    }

    /** Adds (or replaces) objects of the caller's choosing, present. */
    void put(List<NewObject> objects) {
        lock.writeLock().lock();
        try {
            List<Map.Entry<byte[], Integer>> entries = new ArrayList<>();
            for (NewObject o : objects) {
                entries.add(Map.entry(o.key().getBytes(StandardCharsets.UTF_8),
                        classIndex(o.lastModifiedMillis(), o.size(), o.old())));
            }
            entries.sort(Comparator.comparing(Map.Entry::getKey, Arrays::compareUnsigned));
            KeyTable.Builder added = new KeyTable.Builder(entries.size(), 1024);
            byte[] previous = null;
            for (Map.Entry<byte[], Integer> e : entries) {
                if (previous == null || !Arrays.equals(previous, e.getKey())) {
                    added.add(e.getKey(), e.getValue());
                }
                previous = e.getKey();
            }
            KeyTable.Contents merged = KeyTable.merge(table, deleted, added.build());
            table = merged.table();
            deleted = merged.deleted();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Every deleted object present again and every partition idle: the next tool starts from the same bucket. */
    void restore() {
        lock.writeLock().lock();
        try {
            deleted.clear();
        } finally {
            lock.writeLock().unlock();
        }
        synchronized (partitions) {
            partitions.clear();
        }
    }

    /** A page of a listing: which keys, which common prefixes, and where the next page starts. */
    record Page(KeyTable table, int[] contents, int count, List<byte[]> commonPrefixes, boolean truncated,
                byte[] nextStart, byte[] last, int oldKeys) {
    }

    /**
     * One page of keys under {@code prefix}, in order, deleted keys left out. The start is {@code from}
     * (inclusive: a continuation token) or else just after {@code after} (start-after, marker). With a delimiter,
     * keys that have it after the prefix roll up into one common prefix each, which counts as one entry; a common
     * prefix at or before {@code after} was returned by an earlier page and is skipped.
     */
    Page list(byte[] prefix, byte[] delimiter, byte[] after, byte[] from, int maxKeys) {
        lock.readLock().lock();
        try {
            KeyTable t = table;
            int i = from != null ? t.lowerBound(from) : after != null ? t.upperBound(after) : 0;
            int[] range = t.range(prefix);
            i = Math.max(i, range[0]);
            int end = range[1];
            int[] contents = new int[Math.min(maxKeys, Math.max(0, end - i))];
            int count = 0;
            int entries = 0;
            int old = 0;
            List<byte[]> prefixes = new ArrayList<>();
            byte[] last = null;
            while (entries < maxKeys) {
                i = deleted.nextClearBit(i);
                if (i >= end) {
                    break;
                }
                int at = delimiter == null ? -1 : t.delimiterAt(i, delimiter, prefix.length);
                if (at >= 0) {
                    byte[] common = Arrays.copyOfRange(t.bytes(), t.start(i), t.start(i) + at + delimiter.length);
                    byte[] beyond = KeyTable.successor(common);
                    int next = beyond == null ? end : Math.min(end, t.lowerBound(beyond));
                    if (after == null || from != null || Arrays.compareUnsigned(common, after) > 0) {
                        prefixes.add(common);
                        entries++;
                        last = common;
                    }
                    i = Math.max(next, i + 1);
                    continue;
                }
                contents[count++] = i;
                entries++;
                if (classes.get(t.objectClass(i)).old) {
                    old++;
                }
                last = null;
                i++;
            }
            int following = i >= end ? end : deleted.nextClearBit(i);
            boolean truncated = following < end;
            byte[] lastKey = last != null ? last : count > 0 ? t.key(contents[count - 1]) : null;
            return new Page(t, contents, count, prefixes, truncated, truncated ? t.key(following) : null,
                    lastKey, old);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The object's class, or null when it is absent or deleted. */
    ObjectClass head(byte[] key) {
        lock.readLock().lock();
        try {
            int i = table.indexOf(key);
            return i < 0 || deleted.get(i) ? null : classes.get(table.objectClass(i));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Deletes the keys that are present; returns how many were. S3 answers "deleted" for absent keys too. */
    int delete(List<byte[]> keys) {
        lock.writeLock().lock();
        try {
            int removed = 0;
            int hint = -1;
            for (byte[] key : keys) {
                int i = table.indexOf(key, hint);
                if (i >= 0) {
                    hint = i;
                    if (!deleted.get(i)) {
                        deleted.set(i);
                        removed++;
                    }
                }
            }
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The partition a key's deletes count against: the longest fill prefix it starts with, or that prefix's
     * first-level sub-prefix when the fill is partitioned by sub-prefix; keys outside every fill share the
     * bucket's own partition.
     */
    String partitionOf(byte[] key) {
        return new String(key, 0, partitionEnd(key), StandardCharsets.ISO_8859_1);
    }

    /** How many of the key's first bytes name its partition ({@link #partitionOf}); 0 for the bucket's own. */
    int partitionEnd(byte[] key) {
        Fill best = null;
        for (Fill f : fills) {
            if (f.prefix().length <= key.length && (best == null || f.prefix().length > best.prefix().length)
                    && Arrays.equals(key, 0, f.prefix().length, f.prefix(), 0, f.prefix().length)) {
                best = f;
            }
        }
        if (best == null) {
            return 0;
        }
        int end = best.prefix().length;
        if (best.partitioning() == Partitioning.SUB_PREFIX) {
            for (int i = end; i < key.length; i++) {
                if (key[i] == '/') {
                    end = i + 1;
                    break;
                }
            }
        }
        return end;
    }

    /** How many of {@code keys} fall in each partition; keys in a row that share one are counted as a run. */
    Map<String, Integer> partitionCounts(List<byte[]> keys) {
        Map<String, Integer> counts = new HashMap<>();
        byte[] runKey = null;
        int runEnd = -1;
        int run = 0;
        for (byte[] key : keys) {
            int end = partitionEnd(key);
            if (runKey != null && end == runEnd && Arrays.equals(key, 0, end, runKey, 0, end)) {
                run++;
                continue;
            }
            if (runKey != null) {
                counts.merge(new String(runKey, 0, runEnd, StandardCharsets.ISO_8859_1), run, Integer::sum);
            }
            runKey = key;
            runEnd = end;
            run = 1;
        }
        if (runKey != null) {
            counts.merge(new String(runKey, 0, runEnd, StandardCharsets.ISO_8859_1), run, Integer::sum);
        }
        return counts;
    }

    Partition partition(String name) {
        return partitions.computeIfAbsent(name, n -> new Partition());
    }

    /** The lock every partition's queue is updated under: one delete's partitions change together. */
    Object partitionLock() {
        return partitions;
    }

    /** What is left under a fill's prefix and of its neighbours, and of every other key in the bucket. */
    record Check(long oldPresent, long youngPresent, long oldDeleted, long youngDeleted, int neighbours,
                 int neighboursPresent, long otherKeys, long otherPresent) {
    }

    Check check(byte[] prefix) {
        lock.readLock().lock();
        try {
            KeyTable t = table;
            int[] range = t.range(prefix);
            long[] counts = new long[4];
            for (int i = range[0]; i < range[1]; i++) {
                boolean old = classes.get(t.objectClass(i)).old;
                counts[(deleted.get(i) ? 2 : 0) + (old ? 0 : 1)]++;
            }
            Fill fill = fills.stream().filter(f -> Arrays.equals(f.prefix(), prefix)).findFirst().orElse(null);
            List<byte[]> neighbours = fill == null ? List.of() : fill.neighbours();
            int present = 0;
            for (byte[] n : neighbours) {
                int i = t.indexOf(n);
                if (i >= 0 && !deleted.get(i)) {
                    present++;
                }
            }
            long others = (long) t.size() - (range[1] - range[0]);
            long deletedOutside = deleted.cardinality() - counts[2] - counts[3];
            return new Check(counts[0], counts[1], counts[2], counts[3], neighbours.size(), present, others,
                    others - deletedOutside);
        } finally {
            lock.readLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return table.size();
        } finally {
            lock.readLock().unlock();
        }
    }
}
