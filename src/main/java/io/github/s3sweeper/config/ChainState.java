package io.github.s3sweeper.config;

import io.github.s3sweeper.report.FrontierEntry;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run stands in a chain: the runs that one tick became when its time budget stopped it with work left and
 * it invoked the function again to go on. The first run of a tick has none; each next one is given this in its
 * input's {@code chain} field by the run before it.
 *
 * <p>{@code startedAt} is the first run's start: every run of the chain decides against the same cutoff, so the chain
 * deletes exactly what one run long enough would have, and never anything younger than the age when the chain
 * started. A time after now is refused (it would move the cutoff forward); an older one only keeps more.
 *
 * @param id        the first run's request id, on every run's lines, so Logs Insights finds the chain's runs
 * @param link      this run's place in the chain, 2 or more (the first run is 1 and has no chain field)
 * @param startedAt the first run's start
 * @param totals    the counts of the runs before this one, by the summary's field names ({@link #TOTALS})
 * @param frontier  the run before's {@code resumeFrontier}: what it decided beyond its resume point, not listed again
 * @param rule      with RULES: the rule this run starts with (the run before swept those before it); null without
 */
public record ChainState(String id, int link, Instant startedAt, Map<String, Long> totals,
                         List<FrontierEntry> frontier, String rule) {

    public static final String FIELD = "chain";
    /** The summary's counts that add up across a chain's runs. */
    public static final List<String> TOTALS = List.of("scanned", "matched", "expired", "keptLatest", "deleted",
            "failed", "locked", "leftByCap", "bytesDeleted", "versionsScanned", "noncurrentDeleted",
            "deleteMarkersDeleted", "uploadsScanned", "uploadsExpired", "uploadsAborted", "uploadsFailed",
            "listRequests", "deleteRequests", "durationMs");
    public static final int MAX_LINK = 1000;
    static final int MAX_ID_CHARACTERS = 128;
    /** As many as a run reports: its frontier is bounded to fit an asynchronous invocation's payload. */
    static final int MAX_FRONTIER_ENTRIES = 1000;
    /** Clocks of two execution environments differ by milliseconds; more than this is not a clock's drift. */
    public static final long FUTURE_TOLERANCE_SECONDS = 60;
    static final String ALLOWED = "the object a previous run of the chain gives: {\"id\": text of at most 128"
            + " characters, \"link\": a whole number from 2 to 1000, \"startedAt\": an ISO-8601 UTC time not in the"
            + " future, \"totals\": {" + String.join(", ", TOTALS) + ": whole numbers of 0 or more}, \"frontier\": at"
            + " most 1000 {\"prefix\": a key prefix ending in /, \"after\": a key under it, or none}, \"rule\": with"
            + " RULES, the name of the rule to go on with}";

    public ChainState {
        totals = Collections.unmodifiableMap(new LinkedHashMap<>(totals));
        frontier = List.copyOf(frontier);
    }


    /**
     * Reads the input's {@code chain} field; adds a problem for each part that is not as a previous run writes it.
     *
     * @param now the time this run started, which {@code startedAt} may not be after
     * @return the state, or null when a problem was added
     */
    static ChainState parse(Object value, Instant now, List<String> problems) {
        String label = RunRequest.label(FIELD);
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(label + "=" + ValueReader.json(value) + ": " + ValueReader.jsonType(value)
                    + ", not an object; allowed: " + ALLOWED);
            return null;
        }
        int before = problems.size();
        for (Object key : map.keySet()) {
            if (!List.of("id", "link", "startedAt", "totals", "frontier", "rule").contains(key)) {
                problems.add(label + ": unknown field " + ValueReader.quoted(String.valueOf(key)) + "; allowed: "
                        + ALLOWED);
            }
        }
        String id = map.get("id") instanceof String s && !s.isEmpty() && s.length() <= MAX_ID_CHARACTERS
                && s.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? s : null;
        if (id == null) {
            problems.add(label + ".id=" + ValueReader.json(map.get("id")) + ": not a short printable id; allowed: "
                    + ALLOWED);
        }
        long link = wholeNumber(map.get("link"));
        if (link < 2 || link > MAX_LINK) {
            problems.add(label + ".link=" + ValueReader.json(map.get("link")) + ": not a link number; allowed: "
                    + ALLOWED);
        }
        Instant startedAt = null;
        if (map.get("startedAt") instanceof String s) {
            try {
                startedAt = Instant.parse(s);
            } catch (DateTimeParseException e) {
                startedAt = null;
            }
        }
        if (startedAt == null) {
            problems.add(label + ".startedAt=" + ValueReader.json(map.get("startedAt")) + ": not an ISO-8601 UTC"
                    + " time; allowed: " + ALLOWED);
        } else if (startedAt.isAfter(now.plusSeconds(FUTURE_TOLERANCE_SECONDS))) {
            problems.add(label + ".startedAt=" + ValueReader.json(map.get("startedAt")) + ": in the future (it"
                    + " would move the cutoff forward); allowed: " + ALLOWED);
        }
        Map<String, Long> totals = new LinkedHashMap<>();
        if (!(map.get("totals") instanceof Map<?, ?> given)) {
            problems.add(label + ".totals=" + ValueReader.json(map.get("totals")) + ": not an object; allowed: "
                    + ALLOWED);
        } else {
            for (Map.Entry<?, ?> entry : given.entrySet()) {
                long count = wholeNumber(entry.getValue());
                if (!TOTALS.contains(entry.getKey()) || count < 0) {
                    problems.add(label + ".totals." + entry.getKey() + "=" + ValueReader.json(entry.getValue())
                            + ": not a count of a summary; allowed: " + ALLOWED);
                } else {
                    totals.put((String) entry.getKey(), count);
                }
            }
        }
        List<FrontierEntry> frontier = frontier(map.get("frontier"), label, problems);
        Object rule = map.get("rule");
        if (rule != null && !(rule instanceof String s && s.matches("[A-Za-z0-9._-]{1,64}"))) {
            problems.add(label + ".rule=" + ValueReader.json(rule) + ": not a rule's name; allowed: " + ALLOWED);
        }
        if (problems.size() > before) {
            return null;
        }
        return new ChainState(id, (int) link, startedAt, totals, frontier, (String) rule);
    }

    private static List<FrontierEntry> frontier(Object value, String label, List<String> problems) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.size() > MAX_FRONTIER_ENTRIES) {
            problems.add(label + ".frontier: not a list of at most " + MAX_FRONTIER_ENTRIES + " entries; allowed: "
                    + ALLOWED);
            return List.of();
        }
        List<FrontierEntry> entries = new java.util.ArrayList<>();
        for (Object item : list) {
            FrontierEntry entry = item instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k.equals("prefix")
                    || k.equals("after")) && m.get("prefix") instanceof String prefix && isKey(prefix)
                    && (m.get("after") == null || m.get("after") instanceof String after && isKey(after)
                    && after.startsWith(prefix)) && prefix.endsWith("/")
                    ? new FrontierEntry(prefix, (String) m.get("after")) : null;
            if (entry == null) {
                problems.add(label + ".frontier entry " + ValueReader.json(item) + ": not as a run writes it;"
                        + " allowed: " + ALLOWED);
                return List.of();
            }
            entries.add(entry);
        }
        return entries;
    }

    private static boolean isKey(String text) {
        return !text.isEmpty() && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 1024;
    }

    /** A JSON whole number as a long; -1 for anything else. */
    private static long wholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger big && big.bitLength() < 63) {
            return big.longValue();
        }
        if (value instanceof Double d && d >= 0 && d < 9.0e15 && d == Math.rint(d)) {
            return d.longValue();
        }
        return -1;
    }
}
