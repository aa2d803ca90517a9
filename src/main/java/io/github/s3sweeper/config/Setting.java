package io.github.s3sweeper.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One setting, declared once: its environment variable, its command-line flag, its input field (where an invocation
 * may override it) and how far an override may move it, its type and bounds, its default and its description. The
 * environment parser, the input parser, the command line and its help, the messages and the agreement test against
 * the template and the README all read this declaration; {@link Catalog} holds every one.
 *
 * @param <T> the value once read
 */
public final class Setting<T> {

    /** How an invocation's input may change a setting for one run. */
    public enum Change {
        /** Not an input field. */
        NONE("not in the input"),
        /** To any allowed value. */
        FREE("any allowed value"),
        /** Only to a value at least the configured one (a safety net can only grow). */
        RAISE_ONLY("only raised"),
        /** Only to a value at most the configured one, any value when none is configured (a cap only lowers). */
        LOWER_ONLY("only lowered"),
        /** Only switched on (a dry run is a promise that nothing is deleted). */
        TURN_ON_ONLY("only turned on"),
        /** Only to a prefix inside the configured one (the IAM role is scoped to it). */
        NARROW("only narrowed"),
        /** Added to the configured ones, which still apply (filters only tighten). */
        ADD("added to the configured ones");

        private final String description;

        Change(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final String name;
    private final String env;
    private final List<String> fallbackEnv;
    private final String flag;
    private final String shortFlag;
    private final Change change;
    private final ValueType<T> type;
    private final String defaultText;
    private final T defaultValue;
    private final boolean required;
    private final String requiredProblem;
    private final boolean emptyIsUnset;
    private final String description;
    private final String templateParameter;
    private final Function<SweepSettings, Object> current;
    private final BiConsumer<SweepSettings.Builder, Object> apply;
    private final BiConsumer<SweepSettings.Builder, Object> applyToRule;

    private Setting(Builder<T> b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.env = b.env;
        this.fallbackEnv = List.copyOf(b.fallbackEnv);
        // Only a setting of the Lambda function alone (how it continues itself) has no flag.
        this.flag = b.flag;
        this.shortFlag = b.shortFlag;
        this.change = b.change;
        this.type = Objects.requireNonNull(b.type, "type");
        this.defaultText = Objects.requireNonNull(b.defaultText, "defaultText");
        this.defaultValue = b.defaultValue;
        this.required = b.required;
        this.requiredProblem = b.requiredProblem;
        this.emptyIsUnset = b.emptyIsUnset;
        this.description = Objects.requireNonNull(b.description, "description");
        this.templateParameter = b.templateParameter;
        this.current = b.current;
        this.apply = b.apply;
        this.applyToRule = b.ruleApply != null ? b.ruleApply : b.perRule ? b.apply : null;
        if (change != Change.NONE && (current == null || apply == null)) {
            throw new IllegalStateException(name + ": an input field needs how to read and set it");
        }
        if (b.perRule && applyToRule == null) {
            throw new IllegalStateException(name + ": a per-rule setting needs how a rule sets it (input(...) or"
                    + " perRule(setter))");
        }
    }

    static <T> Builder<T> named(String name, ValueType<T> type) {
        return new Builder<>(name, type);
    }

    /** The camel-case name: the input field's when it is one. */
    public String name() {
        return name;
    }

    /** The environment variable, or empty for a setting only the input or the command line gives. */
    public Optional<String> env() {
        return Optional.ofNullable(env);
    }

    /** Variables read, in order, when {@link #env()} is not set, as the AWS CLI reads AWS_DEFAULT_REGION. */
    public List<String> fallbackEnv() {
        return fallbackEnv;
    }

    /** The command-line flag; null for a setting that only the function reads (see {@link #onCommandLine()}). */
    public String flag() {
        return flag;
    }

    /** Whether the command line takes it: false only for what means something in Lambda alone. */
    public boolean onCommandLine() {
        return flag != null;
    }

    public Optional<String> shortFlag() {
        return Optional.ofNullable(shortFlag);
    }

    public Change change() {
        return change;
    }

    public boolean isInputField() {
        return change != Change.NONE;
    }

    public ValueType<T> type() {
        return type;
    }

    /** What applies when it is not set, for people: {@code 0}, {@code no cap}, {@code required}. */
    public String defaultText() {
        return defaultText;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public boolean required() {
        return required;
    }

    /** What a message says when a required setting is not set. */
    String requiredProblem() {
        return requiredProblem;
    }

    /** The empty string counts as not set (the template passes every parameter, empty or not). */
    public boolean emptyIsUnset() {
        return emptyIsUnset;
    }

    public String description() {
        return description;
    }

    /** The SAM template's parameter that sets the variable, or empty. */
    public Optional<String> templateParameter() {
        return Optional.ofNullable(templateParameter);
    }

    /** How messages name it when read from the environment: the variable, or the flag for a command-line-only one. */
    public String label() {
        return env != null ? env : flag;
    }

    /** The value a run would otherwise have: what an override is checked against. */
    Object current(SweepSettings settings) {
        return current.apply(settings);
    }

    void apply(SweepSettings.Builder builder, Object value) {
        apply.accept(builder, value);
    }

    /**
     * Whether a rule of {@code RULES} may set it for its own prefix: a field of the rule's JSON object under
     * {@link #name()}, its value the text the variable takes, read by {@link #type()}.
     */
    public boolean isPerRule() {
        return applyToRule != null;
    }

    /** A rule's value replaces the top-level one in the rule's settings (a rule is the operator's, not an input). */
    void applyToRule(SweepSettings.Builder builder, Object value) {
        applyToRule.accept(builder, value);
    }

    @Override
    public String toString() {
        return name;
    }

    static final class Builder<T> {
        private final String name;
        private final ValueType<T> type;
        private String env;
        private List<String> fallbackEnv = List.of();
        private String flag;
        private String shortFlag;
        private Change change = Change.NONE;
        private String defaultText = "none";
        private T defaultValue;
        private boolean required;
        private String requiredProblem;
        private boolean emptyIsUnset = true;
        private String description;
        private String templateParameter;
        private Function<SweepSettings, Object> current;
        private BiConsumer<SweepSettings.Builder, Object> apply;
        private boolean perRule;
        private BiConsumer<SweepSettings.Builder, Object> ruleApply;

        private Builder(String name, ValueType<T> type) {
            this.name = name;
            this.type = type;
        }

        Builder<T> env(String variable, String... fallbacks) {
            env = variable;
            fallbackEnv = List.of(fallbacks);
            return this;
        }

        Builder<T> flag(String value) {
            flag = value;
            return this;
        }

        Builder<T> shortFlag(String value) {
            shortFlag = value;
            return this;
        }

        Builder<T> byDefault(T value, String text) {
            defaultValue = value;
            defaultText = text;
            return this;
        }

        /** A default that people read as it prints: 0, false, 16, S3Sweeper. */
        Builder<T> byDefaultValue(T value) {
            return byDefault(value, String.valueOf(value));
        }

        Builder<T> byDefault(String text) {
            defaultText = text;
            return this;
        }

        Builder<T> required() {
            return required("required");
        }

        /** @param problem what a message says when it is not set */
        Builder<T> required(String problem) {
            required = true;
            requiredProblem = problem;
            defaultText = "required";
            return this;
        }

        /** The empty string is a value of its own (refused, or the whole bucket for PREFIX), not "not set". */
        Builder<T> emptyIsAValue() {
            emptyIsUnset = false;
            return this;
        }

        Builder<T> template(String parameter) {
            templateParameter = parameter;
            return this;
        }

        Builder<T> description(String text) {
            description = text;
            return this;
        }

        /** An input field: how far it may move the value, what it is now, and how a run takes it. */
        @SuppressWarnings("unchecked")
        Builder<T> input(Change how, Function<SweepSettings, ?> now, BiConsumer<SweepSettings.Builder, T> set) {
            change = how;
            current = (Function<SweepSettings, Object>) now;
            apply = (builder, value) -> set.accept(builder, (T) value);
            return this;
        }

        /**
         * A field of each rule of {@code RULES}, set as the input field sets it ({@link #input}): a rule's value
         * replaces the top-level one for the rule's prefix.
         */
        Builder<T> perRule() {
            perRule = true;
            return this;
        }

        /** A field of each rule of {@code RULES}, set by {@code set} (where the input's setter adds instead). */
        @SuppressWarnings("unchecked")
        Builder<T> perRule(BiConsumer<SweepSettings.Builder, T> set) {
            perRule = true;
            ruleApply = (builder, value) -> set.accept(builder, (T) value);
            return this;
        }

        Setting<T> build() {
            return new Setting<>(this);
        }
    }
}
