package io.github.s3sweeper.config;

import java.util.List;

/** One or more settings are invalid. The message names every bad variable or field, its value and what is allowed. */
public final class InvalidSettingsException extends RuntimeException {

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("Invalid settings, nothing was listed or deleted: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
