package io.github.s3sweeper.testing;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A server program the tests start when it is installed: without it the test class is skipped with a message, and
 * when {@code requireVariable} is {@code true} (as .ci/run sets it) its absence fails instead.
 */
public final class RequiredServer {

    private RequiredServer() {
    }

    /** The program, or a skip (a failure when required) that says how to install it. */
    public static Path executable(String testClass, Optional<Path> found, String requireVariable, String installHint) {
        if ("true".equals(System.getenv(requireVariable))) {
            assertThat(found).as(installHint).isPresent();
        } else if (found.isEmpty()) {
            System.err.println("[SKIPPED] " + testClass + ": " + installHint);
        }
        assumeTrue(found.isPresent(), installHint);
        return found.get();
    }
}
