package io.github.s3sweeper.rules;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the keys under the prefix form the groups that KEEP_LATEST and the calendar rules apply to, each on its own.
 * Works on the key relative to the prefix, and names a group by the part of the key that made it.
 */
public sealed interface GroupBy {

    String ALLOWED = "empty or none (one group), depth:N with N from 1 to " + Depth.MAX + " (the first N path segments"
            + " under the prefix, such as depth:1 for db1/ and db2/), or pattern:GLOB with one (capture), such as"
            + " pattern:(*)-????-??-??.sql.gz (the keys it does not match form one more group)";

    /** Everything under the prefix is one group. */
    GroupBy ONE = new One();

    /** The group of a key, relative to the prefix; null for the keys a pattern does not match, one group too. */
    String groupOf(String relativeKey);

    /** @throws IllegalArgumentException saying what is wrong, for text that is none of {@link #ALLOWED} */
    static GroupBy parse(String text) {
        String spec = text.strip();
        if (spec.isEmpty() || spec.equals("none")) {
            return ONE;
        }
        if (spec.startsWith("depth:")) {
            String n = spec.substring("depth:".length());
            if (!n.matches("[0-9]{1,3}") || Integer.parseInt(n) < 1 || Integer.parseInt(n) > Depth.MAX) {
                throw new IllegalArgumentException("depth \"" + n + "\" is not a whole number from 1 to " + Depth.MAX);
            }
            return new Depth(Integer.parseInt(n));
        }
        if (spec.startsWith("pattern:")) {
            return Captured.compile(spec.substring("pattern:".length()));
        }
        throw new IllegalArgumentException("not a way of grouping");
    }

    record One() implements GroupBy {
        @Override
        public String groupOf(String relativeKey) {
            return "";
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    /**
     * The key up to its N-th slash, so {@code db1/2026/01/a.dump} is in {@code db1/} at depth 1. A key with fewer
     * slashes is in its own folder's group: objects right under the prefix form the group "".
     */
    record Depth(int segments) implements GroupBy {
        static final int MAX = 32;

        @Override
        public String groupOf(String relativeKey) {
            int end = 0;
            for (int i = 0; i < segments; i++) {
                int slash = relativeKey.indexOf('/', end);
                if (slash < 0) {
                    break;
                }
                end = slash + 1;
            }
            return relativeKey.substring(0, end);
        }

        @Override
        public String toString() {
            return "depth:" + segments;
        }
    }

    /** A glob over the whole relative key (as INCLUDE's) with one capture: the captured text names the group. */
    record Captured(String glob, Pattern regex) implements GroupBy {

        public Captured {
            Objects.requireNonNull(glob, "glob");
            Objects.requireNonNull(regex, "regex");
        }

        static Captured compile(String glob) {
            if (glob.isEmpty()) {
                throw new IllegalArgumentException("an empty pattern");
            }
            int open = 0;
            int close = 0;
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    if (open > close) {
                        throw new IllegalArgumentException("pattern \"" + glob + "\" nests parentheses");
                    }
                    open++;
                } else if (c == ')') {
                    close++;
                    if (close > open) {
                        throw new IllegalArgumentException("pattern \"" + glob + "\" has a ')' without its '('");
                    }
                }
            }
            if (open != 1 || close != 1) {
                throw new IllegalArgumentException("pattern \"" + glob + "\" must have exactly one (capture), has "
                        + open);
            }
            try {
                return new Captured(glob, Pattern.compile(Glob.regex(glob, true), Pattern.DOTALL));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pattern \"" + glob + "\" has " + e.getMessage());
            }
        }

        @Override
        public String groupOf(String relativeKey) {
            Matcher m = regex.matcher(relativeKey);
            return m.matches() ? m.group(1) : null;
        }

        @Override
        public String toString() {
            return "pattern:" + glob;
        }
    }
}
