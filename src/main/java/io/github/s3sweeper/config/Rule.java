package io.github.s3sweeper.config;

import java.util.Objects;

/**
 * One rule of {@code RULES}: a name, and the settings of its sweep: the top-level settings with its prefix (inside
 * {@code PREFIX}) and its own fields applied.
 */
public record Rule(String name, SweepSettings sweep) {

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sweep, "sweep");
    }

    public String prefix() {
        return sweep.prefix();
    }
}
