package io.github.s3sweeper.config;

import java.util.List;

/**
 * One or more settings are invalid. The message names every bad variable or field, its value and what is allowed.
 * It carries no stack trace: where in the parser a value was refused tells an operator nothing, and the Lambda runtime
 * would print it under the message.
 */
public final class InvalidSettingsException extends RuntimeException {

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("Invalid settings, nothing was listed or deleted: " + String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
