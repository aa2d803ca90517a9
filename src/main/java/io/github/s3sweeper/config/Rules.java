package io.github.s3sweeper.config;

import io.github.s3sweeper.report.JsonReader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code RULES} setting: a JSON array of named rules, each narrowing {@code PREFIX} with its own settings. A
 * rule's fields are {@code name}, {@code prefix}, and the settings {@link Catalog} declares per rule
 * ({@link Setting#isPerRule()}), under their input field names, each value the text the setting's variable takes
 * (JSON numbers, booleans and arrays of glob strings are taken as that text), read by the setting's own type. A field
 * left out inherits the top-level value. Everything is checked at once, with the other settings, before any request.
 */
final class Rules {

    static final String NAME = "name";
    static final String PREFIX = "prefix";
    static final int MAX_RULES = 1000;
    static final int MAX_NAME_CHARACTERS = 64;
    /** Overlapping pairs named; beyond, one line says how many more. */
    private static final int MAX_OVERLAPS_NAMED = 10;
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME_CHARACTERS + "}");
    static final String NAME_ALLOWED = "1 to 64 letters, digits, '-', '_' and '.', unique among the rules";
    /** What is allowed, named when asked: the fields are read from {@link Catalog#ALL}, which holds this type. */
    static String allowed() {
        return "a JSON array of at most " + MAX_RULES + " rules, each an object with \"name\" (" + NAME_ALLOWED
                + "), \"prefix\" (inside PREFIX, overlapping no other rule's) and optionally "
                + String.join(", ", perRuleFields()) + " (each as the text its variable takes), or empty for no rules";
    }

    private Rules() {
    }

    /** A rule as read: its name, its prefix and the values of the fields it sets. */
    record Parsed(String name, String prefix, Map<Setting<?>, Object> values) {
    }

    static List<String> perRuleFields() {
        return Catalog.ALL.stream().filter(Setting::isPerRule).map(Setting::name).toList();
    }

    static List<String> fields() {
        List<String> fields = new ArrayList<>(List.of(NAME, PREFIX));
        fields.addAll(perRuleFields());
        return fields;
    }

    /** The JSON text's array of objects: the syntax, whatever PREFIX says. */
    static final ValueType<List<Object>> TYPE = new ValueType<>() {
        @Override
        public List<Object> fromText(ValueReader read, String label, String value) {
            if (value.startsWith("file:")) {
                read.problem(label, ValueReader.shown(value), "a file reference, which only the command line reads"
                        + " (in Lambda, give the JSON itself)", allowed());
                return null;
            }
            Object json;
            try {
                json = JsonReader.readValue(value);
            } catch (JsonReader.SyntaxException e) {
                read.problem(label, ValueReader.shown(value), "not JSON: " + e.getMessage() + " at "
                        + JsonReader.position(value, e.offset()), allowed());
                return null;
            }
            if (!(json instanceof List<?> list)) {
                read.problem(label, ValueReader.shown(value), (json == null ? "null" : ValueReader.jsonType(json))
                        + ", not an array", allowed());
                return null;
            }
            if (list.size() > MAX_RULES) {
                read.problem(label, "", list.size() + " rules, more than " + MAX_RULES, allowed());
                return null;
            }
            return new ArrayList<>(list);
        }

        @Override
        public List<Object> fromJson(ValueReader read, String field, Object value) {
            throw new UnsupportedOperationException("RULES is not an input field");
        }

        @Override
        public String allowed() {
            return Rules.allowed();
        }

        @Override
        public String paramLabel() {
            return "JSON";
        }
    };

    /**
     * Each rule's name, prefix and fields, with a problem for each that is wrong: alone, against {@code PREFIX} and
     * the top-level values, or against the other rules.
     *
     * @param top the top-level values that could be read (those that could not are not checked against)
     */
    static List<Parsed> read(String label, List<Object> rules, Values top, ValueReader read, List<String> problems) {
        List<Parsed> parsed = new ArrayList<>();
        String prefix = top.get(Catalog.PREFIX);
        int before = problems.size();
        Map<String, Integer> names = new HashMap<>();
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            String at = label + "[" + i + "]";
            if (!(rules.get(i) instanceof Map<?, ?> rule)) {
                Object item = rules.get(i);
                problems.add(at + "=" + ValueReader.json(item) + ": " + (item == null ? "null"
                        : ValueReader.jsonType(item)) + ", not an object; allowed: " + allowed());
                continue;
            }
            String name = name(at, rule.get(NAME), problems);
            String where = name == null ? at : at + " " + ValueReader.quoted(name);
            if (name != null) {
                Integer first = names.putIfAbsent(name, i);
                if (first != null) {
                    problems.add(where + ": the same name as " + label + "[" + first + "]; allowed: " + NAME_ALLOWED);
                }
            }
            Set<String> unknown = new TreeSet<>();
            for (Object field : rule.keySet()) {
                if (!fields().contains(String.valueOf(field))) {
                    unknown.add(String.valueOf(field));
                }
            }
            for (String field : unknown.stream().limit(10).toList()) {
                problems.add(where + ": field " + ValueReader.quoted(field) + ": unknown; allowed: the fields "
                        + String.join(", ", fields()));
            }
            String rulePrefix = prefix(where, rule.get(PREFIX), prefix, problems);
            Map<Setting<?>, Object> values = fieldValues(where, rule, top, read, problems);
            parsed.add(new Parsed(name, rulePrefix, values));
            indexes.add(i);
        }
        overlaps(label, parsed, indexes, problems);
        return problems.size() > before ? null : parsed;
    }

    private static String name(String at, Object value, List<String> problems) {
        if (value == null) {
            problems.add(at + ": no \"name\"; allowed: " + NAME_ALLOWED);
            return null;
        }
        if (!(value instanceof String s) || !NAME_PATTERN.matcher(s).matches()) {
            String problem = !(value instanceof String s) ? ValueReader.jsonType(value) + ", not a string"
                    : s.isEmpty() ? "empty" : s.length() > MAX_NAME_CHARACTERS ? "longer than " + MAX_NAME_CHARACTERS
                    + " characters" : "a character other than letters, digits, '-', '_' and '.'";
            problems.add(at + ": name=" + ValueReader.json(value) + ": " + problem + "; allowed: " + NAME_ALLOWED);
            return null;
        }
        return s;
    }

    private static String prefix(String where, Object value, String top, List<String> problems) {
        String allowed = top == null ? "a key prefix inside PREFIX" : "a key prefix that starts with PREFIX="
                + ValueReader.quoted(top) + " (S3 prefixes are plain string prefixes)";
        if (value == null) {
            problems.add(where + ": no \"prefix\"; allowed: " + allowed);
            return null;
        }
        if (!(value instanceof String s)) {
            problems.add(where + ": prefix=" + ValueReader.json(value) + ": " + ValueReader.jsonType(value)
                    + ", not a string; allowed: " + allowed);
            return null;
        }
        String problem = Checks.prefixProblem(s, "the JSON was probably not written in UTF-8");
        if (problem == null && top != null && !s.startsWith(top)) {
            problem = "outside PREFIX=" + ValueReader.quoted(top) + " (the IAM role is scoped to it)";
        }
        if (problem != null) {
            problems.add(where + ": prefix=" + ValueReader.quoted(s) + ": " + problem + "; allowed: " + allowed);
            return null;
        }
        return s;
    }

    /** The fields the rule sets, each read as its variable's text by the setting's own type. */
    private static Map<Setting<?>, Object> fieldValues(String where, Map<?, ?> rule, Values top, ValueReader read,
                                                       List<String> problems) {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        for (Setting<?> setting : Catalog.ALL) {
            if (!setting.isPerRule() || rule.get(setting.name()) == null) {
                continue;
            }
            Object json = rule.get(setting.name());
            String label = where + ": " + setting.name();
            String text = text(json);
            if (text == null) {
                problems.add(label + "=" + ValueReader.json(json) + ": " + ValueReader.jsonType(json) + ", not the text"
                        + " " + setting.label() + " takes; allowed: " + setting.type().allowed());
                continue;
            }
            if (text.isEmpty() && setting.emptyIsUnset()) {
                continue; // as an empty variable: not set, the top-level value applies
            }
            Object value = setting.type().fromText(read, label, text);
            if (value == null) {
                continue;
            }
            if (setting.change() == Setting.Change.TURN_ON_ONLY && Boolean.FALSE.equals(value)
                    && Boolean.TRUE.equals(top.get(setting))) {
                problems.add(label + "=" + ValueReader.quoted(text) + ": would switch off the configured "
                        + setting.label() + "=true; allowed: true, or leave it out (" + setting.label()
                        + "=true holds for every rule)");
                continue;
            }
            values.put(setting, value);
        }
        if (values.containsKey(Catalog.RETENTION_DAYS) && values.containsKey(Catalog.OLDER_THAN)) {
            problems.add(where + ": retentionDays and olderThan: both are set; allowed: at most one (neither: the"
                    + " top-level age applies)");
        }
        Long min = values.containsKey(Catalog.MIN_SIZE) ? (Long) values.get(Catalog.MIN_SIZE) : top.get(Catalog.MIN_SIZE);
        Long max = values.containsKey(Catalog.MAX_SIZE) ? (Long) values.get(Catalog.MAX_SIZE) : top.get(Catalog.MAX_SIZE);
        if ((values.containsKey(Catalog.MIN_SIZE) || values.containsKey(Catalog.MAX_SIZE)) && min != null
                && max != null && min > max) {
            problems.add(where + ": minSize and maxSize: the minimum " + min + " is larger than the maximum " + max
                    + " (a field left out is the top-level value); allowed: a minimum no larger than the maximum");
        }
        return values;
    }

    /** A field's JSON as the text its variable would hold, or null for a JSON object or a mixed array. */
    private static String text(Object json) {
        if (json instanceof String s) {
            return s;
        }
        if (json instanceof Boolean || json instanceof Number) {
            return String.valueOf(json);
        }
        if (json instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(item -> item instanceof String)) {
            return list.stream().map(String.class::cast).collect(Collectors.joining(","));
        }
        return null;
    }

    /** Two prefixes overlap when one starts with the other: a key under the longer is under both. */
    private static void overlaps(String label, List<Parsed> rules, List<Integer> indexes, List<String> problems) {
        int found = 0;
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                String a = rules.get(i).prefix();
                String b = rules.get(j).prefix();
                if (a == null || b == null || !(a.startsWith(b) || b.startsWith(a))) {
                    continue;
                }
                if (++found <= MAX_OVERLAPS_NAMED) {
                    String shorter = a.length() <= b.length() ? a : b;
                    String longer = shorter == a ? b : a;
                    problems.add(named(label, indexes.get(i), rules.get(i)) + " and " + named(label, indexes.get(j),
                            rules.get(j)) + ": overlapping prefixes (every key under " + ValueReader.quoted(longer)
                            + " is under " + ValueReader.quoted(shorter) + " too: S3 prefixes are plain string"
                            + " prefixes); allowed: prefixes none of which starts with another");
                }
            }
        }
        if (found > MAX_OVERLAPS_NAMED) {
            problems.add((found - MAX_OVERLAPS_NAMED) + " more overlapping pairs of " + label + "; allowed: prefixes"
                    + " none of which starts with another");
        }
    }

    private static String named(String label, int index, Parsed rule) {
        return label + "[" + index + "]" + (rule.name() == null ? "" : " " + ValueReader.quoted(rule.name()))
                + " prefix=" + ValueReader.quoted(rule.prefix());
    }

    /** Each rule's settings: the top-level ones, its prefix (the root of its globs too) and its fields applied. */
    static List<Rule> assemble(List<Parsed> rules, SweepSettings top) {
        List<Rule> assembled = new ArrayList<>();
        for (Parsed rule : rules) {
            SweepSettings.Builder sweep = top.toBuilder().prefix(rule.prefix()).globRoot(rule.prefix())
                    .startAfter(null).resumeFrontier(List.of());
            rule.values().forEach((setting, value) -> setting.applyToRule(sweep, value));
            assembled.add(new Rule(rule.name(), sweep.build()));
        }
        return List.copyOf(assembled);
    }
}
