package io.github.s3sweeper.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A glob matched against a whole key (relative to the prefix): {@code *} and {@code ?} stay within one
 * {@code /}-separated segment, {@code **} crosses segments ({@code **}{@code /} also matches no segment at all),
 * {@code {a,b}} picks one of the alternatives, and a backslash takes the next character literally.
 */
public final class Glob {

    private final String pattern;
    private final Pattern regex;

    private Glob(String pattern, Pattern regex) {
        this.pattern = pattern;
        this.regex = regex;
    }

    /** @throws IllegalArgumentException naming the problem, for an empty pattern or unbalanced braces */
    public static Glob compile(String pattern) {
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("an empty pattern");
        }
        return new Glob(pattern, Pattern.compile(regex(pattern, false), Pattern.DOTALL));
    }

    /**
     * The regular expression of a glob. With {@code captures}, parentheses are a group to capture (GROUP_BY's
     * pattern); otherwise they are literal, as they always were for INCLUDE and EXCLUDE.
     */
    static String regex(String pattern, boolean captures) {
        StringBuilder regex = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 == pattern.length()) {
                        throw new IllegalArgumentException("a trailing backslash");
                    }
                    regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                }
                case '*' -> {
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                        i++;
                        boolean wholeSegments = (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/')
                                && (i - 1 == 0 || pattern.charAt(i - 2) == '/');
                        if (wholeSegments) {
                            i++;
                            regex.append("(?:.*/)?");
                        } else {
                            regex.append(".*");
                        }
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                case '{' -> {
                    depth++;
                    regex.append("(?:");
                }
                case '}' -> {
                    if (depth == 0) {
                        throw new IllegalArgumentException("a '}' without its '{'");
                    }
                    depth--;
                    regex.append(')');
                }
                case ',' -> regex.append(depth > 0 ? "|" : Pattern.quote(","));
                case '(', ')' -> regex.append(captures ? String.valueOf(c) : Pattern.quote(String.valueOf(c)));
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("a '{' without its '}'");
        }
        return regex.toString();
    }

    /**
     * Splits a comma-separated list of globs; commas inside braces belong to the alternatives. Blank entries are
     * refused, so a stray comma never becomes a pattern that matches nothing or everything.
     */
    public static List<Glob> compileList(String patterns) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < patterns.length(); i++) {
            char c = patterns.charAt(i);
            if (c == '\\' && i + 1 < patterns.length()) {
                current.append(c).append(patterns.charAt(++i));
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            }
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        List<Glob> globs = new ArrayList<>(parts.size());
        for (String part : parts) {
            String trimmed = part.strip();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("an empty pattern in the list");
            }
            try {
                globs.add(compile(trimmed));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pattern \"" + trimmed + "\" has " + e.getMessage());
            }
        }
        return List.copyOf(globs);
    }

    public boolean matches(String relativeKey) {
        return regex.matcher(relativeKey).matches();
    }

    @Override
    public String toString() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Glob glob && glob.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }
}
