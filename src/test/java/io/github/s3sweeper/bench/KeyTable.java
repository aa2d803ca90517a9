package io.github.s3sweeper.bench;

import java.util.Arrays;
import java.util.BitSet;

/**
 * An immutable sorted set of keys, for {@link ModelS3}: every key's UTF-8 bytes end to end in one array, where each
 * key starts, and one byte per key naming its object class (age, size, ETag). Ten million keys take about 300 MB
 * this way, where a map of key strings to objects would take several GB and minutes to fill. Order is S3's: the
 * unsigned bytes of the UTF-8 key.
 */
final class KeyTable {

    static final KeyTable EMPTY = new KeyTable(new byte[0], new int[] {0}, new byte[0], new BitSet(), 0);

    private final byte[] bytes;
    /** {@code starts[i]} to {@code starts[i + 1]}: key i. */
    private final int[] starts;
    private final byte[] classes;
    /** Keys with a byte that XML or URL encoding changes: the others are copied into a listing as they are. */
    private final BitSet escaped;
    private final int size;

    private KeyTable(byte[] bytes, int[] starts, byte[] classes, BitSet escaped, int size) {
        this.bytes = bytes;
        this.starts = starts;
        this.classes = classes;
        this.escaped = escaped;
        this.size = size;
    }

    boolean plain(int i) {
        return !escaped.get(i);
    }

    int size() {
        return size;
    }

    byte[] bytes() {
        return bytes;
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return starts[i + 1];
    }

    int objectClass(int i) {
        return classes[i] & 0xFF;
    }

    byte[] key(int i) {
        return Arrays.copyOfRange(bytes, starts[i], starts[i + 1]);
    }

    int compare(int i, byte[] key) {
        return Arrays.compareUnsigned(bytes, starts[i], starts[i + 1], key, 0, key.length);
    }

    /** The first index whose key is at least {@code key} ({@link #size()} if none). */
    int lowerBound(byte[] key) {
        return lowerBound(key, 0, size);
    }

    private int lowerBound(byte[] key, int from, int to) {
        int low = from;
        int high = to;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (compare(mid, key) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The first index whose key is greater than {@code key}. */
    int upperBound(byte[] key) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (compare(mid, key) <= 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The index of {@code key}, or -1. */
    int indexOf(byte[] key) {
        int i = lowerBound(key);
        return i < size && compare(i, key) == 0 ? i : -1;
    }

    /**
     * The index of {@code key}, or -1, searched for from {@code hint} (the index of a key at or before it) in
     * steps that double: a DeleteObjects batch comes in key order, and its next key is then a few comparisons
     * away instead of a search of the whole table.
     */
    int indexOf(byte[] key, int hint) {
        if (hint < 0 || hint >= size || compare(hint, key) > 0) {
            return indexOf(key);
        }
        int low = hint;
        int high;
        for (int step = 1; ; step <<= 1) {
            high = low + step;
            if (high >= size) {
                high = size;
                break;
            }
            int c = compare(high, key);
            if (c == 0) {
                return high;
            }
            if (c > 0) {
                break;
            }
            low = high;
        }
        int i = lowerBound(key, low, high);
        return i < size && compare(i, key) == 0 ? i : -1;
    }

    /** Indexes {@code [from, to)} of the keys that start with {@code prefix}. */
    int[] range(byte[] prefix) {
        int from = lowerBound(prefix);
        byte[] after = successor(prefix);
        return new int[] {from, after == null ? size : lowerBound(after)};
    }

    /** Where {@code delimiter} first occurs in key i at or after byte {@code offset} of the key, or -1. */
    int delimiterAt(int i, byte[] delimiter, int offset) {
        int from = starts[i] + offset;
        int last = starts[i + 1] - delimiter.length;
        outer:
        for (int at = from; at <= last; at++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (bytes[at + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return at - starts[i];
        }
        return -1;
    }

    /**
     * The smallest byte string greater than every string that starts with {@code prefix}, or null when there is
     * none (a prefix of 0xFF bytes only). Listing a prefix is then the range between two binary searches.
     */
    static byte[] successor(byte[] prefix) {
        int n = prefix.length;
        while (n > 0 && (prefix[n - 1] & 0xFF) == 0xFF) {
            n--;
        }
        if (n == 0) {
            return null;
        }
        byte[] after = Arrays.copyOf(prefix, n);
        after[n - 1]++;
        return after;
    }

    /** Appends keys already in order, for fills of millions without a key object each. */
    static final class Builder {
        private byte[] bytes;
        private int[] starts;
        private byte[] classes;
        private final BitSet escaped = new BitSet();
        private int size;
        private int length;

        Builder(int keys, int keyBytes) {
            bytes = new byte[Math.max(16, keyBytes)];
            starts = new int[keys + 1];
            classes = new byte[Math.max(1, keys)];
        }

        Builder add(byte[] key, int from, int to, int objectClass) {
            int n = to - from;
            if (size > 0 && Arrays.compareUnsigned(bytes, starts[size - 1], length, key, from, to) >= 0) {
                throw new IllegalArgumentException("keys out of order or repeated: "
                        + new String(key, from, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            if (length + n > bytes.length) {
                long grown = Math.max((long) bytes.length * 3 / 2, (long) length + n);
                if (grown > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("key table over 2 GB");
                }
                bytes = Arrays.copyOf(bytes, (int) grown);
            }
            if (size + 1 >= starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
                classes = Arrays.copyOf(classes, classes.length * 2);
            }
            System.arraycopy(key, from, bytes, length, n);
            length += n;
            classes[size] = (byte) objectClass;
            if (!Bytes.plain(key, from, to)) {
                escaped.set(size);
            }
            size++;
            starts[size] = length;
            return this;
        }

        Builder add(byte[] key, int objectClass) {
            return add(key, 0, key.length, objectClass);
        }

        KeyTable build() {
            return new KeyTable(bytes, starts, classes, escaped, size);
        }
    }

    /** A table and which of its keys are deleted. */
    record Contents(KeyTable table, BitSet deleted) {
    }

    /**
     * {@code base} with {@code added} merged in (an added key replaces the same key of {@code base}, present
     * again); the deleted marks of {@code base} follow their keys. Runs between added keys are copied in bulk, so
     * adding a few keys to ten million costs one array copy.
     */
    static Contents merge(KeyTable base, BitSet deleted, KeyTable added) {
        int keys = base.size + added.size;
        Builder out = new Builder(keys, base.starts[base.size] + added.starts[added.size]);
        BitSet marks = new BitSet(keys);
        int from = 0;
        for (int j = 0; j < added.size; j++) {
            byte[] key = added.key(j);
            int to = base.lowerBound(key);
            copyRun(base, deleted, from, to, out, marks);
            out.add(key, added.objectClass(j));
            from = to < base.size && base.compare(to, key) == 0 ? to + 1 : to;
        }
        copyRun(base, deleted, from, base.size, out, marks);
        return new Contents(out.build(), marks);
    }

    private static void copyRun(KeyTable base, BitSet deleted, int from, int to, Builder out, BitSet marks) {
        if (from >= to) {
            return;
        }
        int first = out.size;
        int byteFrom = base.starts[from];
        int byteTo = base.starts[to];
        int n = byteTo - byteFrom;
        if (out.length + n > out.bytes.length) {
            out.bytes = Arrays.copyOf(out.bytes, out.length + n);
        }
        if (out.size + (to - from) + 1 > out.starts.length) {
            out.starts = Arrays.copyOf(out.starts, out.size + (to - from) + 1);
            out.classes = Arrays.copyOf(out.classes, out.size + (to - from));
        }
        System.arraycopy(base.bytes, byteFrom, out.bytes, out.length, n);
        System.arraycopy(base.classes, from, out.classes, out.size, to - from);
        int shift = out.length - byteFrom;
        for (int i = from; i < to; i++) {
            out.starts[out.size + (i - from) + 1] = base.starts[i + 1] + shift;
        }
        out.length += n;
        out.size += to - from;
        for (int i = deleted.nextSetBit(from); i >= 0 && i < to; i = deleted.nextSetBit(i + 1)) {
            marks.set(first + (i - from));
        }
        for (int i = base.escaped.nextSetBit(from); i >= 0 && i < to; i = base.escaped.nextSetBit(i + 1)) {
            out.escaped.set(first + (i - from));
        }
    }
}
