package io.github.s3sweeper.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings that one invocation's input replaces for that run, by declaration; a setting it leaves out keeps the
 * environment's value. How far each may move is its declaration's {@link Setting.Change}: the bucket cannot be
 * overridden, a prefix only narrows the configured one (the IAM role is scoped to it), safety nets only tighten.
 */
public record Overrides(Map<Setting<?>, Object> values) {

    public static final Overrides NONE = new Overrides(Map.of());

    public Overrides {
        for (Setting<?> setting : values.keySet()) {
            if (!setting.isInputField()) {
                throw new IllegalArgumentException(setting + " is not an input field");
            }
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /**
     * The input fields this run overrides, in declaration order; empty when it overrides nothing (as the template's
     * {"trigger":"schedule"} does).
     */
    public List<String> fields() {
        return Catalog.inputFields().stream().filter(values::containsKey).map(Setting::name).toList();
    }

    /**
     * These without the safety nets the environment now sets tighter than they do (a cap lowered, a keep-newest count
     * raised since): what a later run of a chain is given was allowed when its first run started, and the tighter of
     * the two is what it must apply now, not a refusal.
     */
    public Overrides yieldingToTighter(SweepSettings base) {
        Map<Setting<?>, Object> kept = new LinkedHashMap<>(values);
        kept.entrySet().removeIf(entry -> {
            Setting.Change change = entry.getKey().change();
            return (change == Setting.Change.RAISE_ONLY || change == Setting.Change.LOWER_ONLY)
                    && beyondChange(entry.getKey(), entry.getValue(), entry.getKey().current(base)) != null;
        });
        return new Overrides(kept);
    }

    /** The environment's settings with these applied, or one exception naming every field that does not fit. */
    public SweepSettings applyTo(SweepSettings base) {
        List<String> problems = new ArrayList<>();
        for (Setting<?> setting : Catalog.inputFields()) {
            if (values.containsKey(setting)) {
                String problem = beyondChange(setting, values.get(setting), setting.current(base));
                if (problem != null) {
                    problems.add(RunRequest.label(setting.name()) + "=" + ValueReader.json(shown(values.get(setting)))
                            + ": " + problem);
                }
            }
        }
        String prefix = values.containsKey(Catalog.PREFIX) ? get(Catalog.PREFIX) : base.prefix();
        String startAfter = get(Catalog.START_AFTER);
        if (startAfter != null && !startAfter.startsWith(prefix)) {
            problems.add(RunRequest.label(Catalog.START_AFTER.name()) + "=" + ValueReader.quoted(startAfter)
                    + ": outside the prefix " + ValueReader.quoted(prefix) + "; allowed: a key under the prefix, as a"
                    + " previous run's resumeAfter gives");
        }
        long min = values.containsKey(Catalog.MIN_SIZE) ? get(Catalog.MIN_SIZE) : base.minSize();
        long max = values.containsKey(Catalog.MAX_SIZE) ? get(Catalog.MAX_SIZE) : base.maxSize();
        if (min > max) {
            problems.add("input fields \"minSize\" and \"maxSize\": the minimum " + min + " is larger than the maximum "
                    + max + "; allowed: a minimum no larger than the maximum");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        SweepSettings.Builder settings = base.toBuilder();
        values.forEach((setting, value) -> setting.apply(settings, value));
        return settings.build();
    }

    /**
     * A run of RULES: these applied to each rule's settings, each field checked against the rule's value (an input
     * only tightens what the rule says). The prefix is not an input field here (each rule's is the operator's), and
     * {@code startAfter} must be a key under one rule's prefix: the run resumes at that rule (see
     * {@link #resumeRule}), so it is not applied to the rules themselves.
     *
     * @param yielding a later run of a chain: safety nets tightened since the chain began win, as in
     *                 {@link #yieldingToTighter}
     */
    public List<Rule> applyToRules(List<Rule> rules, boolean yielding) {
        List<String> problems = new ArrayList<>();
        if (values.containsKey(Catalog.PREFIX)) {
            problems.add(RunRequest.label(Catalog.PREFIX.name()) + "=" + ValueReader.quoted(get(Catalog.PREFIX))
                    + ": not with RULES, whose rules each sweep their own prefix; allowed: leave it out");
        }
        String startAfter = get(Catalog.START_AFTER);
        if (startAfter != null && resumeRule(rules, startAfter) == null) {
            problems.add(RunRequest.label(Catalog.START_AFTER.name()) + "=" + ValueReader.quoted(startAfter)
                    + ": under no rule's prefix; allowed: a key under one rule's prefix, as a previous run's"
                    + " resumeAfter gives");
        }
        // A rule's globs are relative to its own prefix, an input's to PREFIX: under RULES one pattern would mean two
        // things, and an exclude that protects nothing would be silent. So an input gives none.
        for (Setting<?> globs : List.of(Catalog.INCLUDE, Catalog.EXCLUDE)) {
            if (values.containsKey(globs)) {
                problems.add(RunRequest.label(globs.name()) + "=" + ValueReader.quoted(String.valueOf(get(globs)))
                        + ": not with RULES, whose globs are relative to each rule's own prefix; allowed: leave it"
                        + " out, and give " + globs.name() + " in the rules");
            }
        }
        Map<Setting<?>, Object> rest = new LinkedHashMap<>(values);
        rest.remove(Catalog.PREFIX);
        rest.remove(Catalog.START_AFTER);
        Overrides others = new Overrides(rest);
        List<Rule> applied = new ArrayList<>();
        for (Rule rule : rules) {
            Overrides these = yielding ? others.yieldingToTighter(rule.sweep()) : others;
            try {
                applied.add(new Rule(rule.name(), these.applyTo(rule.sweep())));
            } catch (InvalidSettingsException e) {
                e.problems().forEach(problem -> problems.add("rule " + ValueReader.quoted(rule.name()) + ": "
                        + problem));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return List.copyOf(applied);
    }

    /** The rule whose prefix holds {@code key}, or null: the rules' prefixes do not overlap. */
    public static Rule resumeRule(List<Rule> rules, String key) {
        return key == null ? null : rules.stream().filter(rule -> key.startsWith(rule.prefix())).findFirst()
                .orElse(null);
    }

    /** What is wrong with moving the configured {@code now} to {@code value}, or null when the change is allowed. */
    private static String beyondChange(Setting<?> setting, Object value, Object now) {
        return switch (setting.change()) {
            case RAISE_ONLY -> compare(value, now) < 0 ? "fewer than " + configured(setting, now) + "; allowed: "
                    + now + " or more (an input can only raise it)" : null;
            case LOWER_ONLY -> now != null && compare(value, now) > 0 ? "more than " + configured(setting, now)
                    + "; allowed: " + now + " or fewer (an input can only lower it)" : null;
            case TURN_ON_ONLY -> Boolean.FALSE.equals(value) && Boolean.TRUE.equals(now) ? "would switch off "
                    + configured(setting, now) + " (the environment or --dry-run); allowed: true, or leave it out (an"
                    + " input can only turn it on)" : null;
            case NARROW -> narrowed((String) value, (String) now, configured(setting, now));
            case FREE, ADD, NONE -> null;
        };
    }

    /** Whole numbers compared as longs: the settings that only move one way are counts. */
    private static int compare(Object value, Object now) {
        return Long.compare(((Number) value).longValue(), ((Number) now).longValue());
    }

    private static String configured(Setting<?> setting, Object now) {
        return "the configured " + setting.label() + "=" + ValueReader.json(now);
    }

    /** A prefix inside the configured one, and a prefix at all. */
    private static String narrowed(String value, String now, String configured) {
        String problem = !value.startsWith(now) ? "outside " + configured
                : Checks.prefixProblem(value, "the input was probably not written in UTF-8, or a character was lost"
                        + " before it");
        return problem == null ? null : problem + "; allowed: a prefix that starts with " + ValueReader.quoted(now);
    }

    /** How a value shows in a message: globs as their patterns. */
    private static Object shown(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value instanceof Duration d ? d.toString() : value;
    }
}
