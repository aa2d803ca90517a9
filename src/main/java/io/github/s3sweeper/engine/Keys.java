package io.github.s3sweeper.engine;

/** How S3 orders keys. */
public final class Keys {

    private Keys() {
    }

    /** Compares by Unicode code point, which is the UTF-8 byte order S3 lists keys in (unlike String's UTF-16 order). */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
