package io.github.s3sweeper.testing;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Lambda context whose logger keeps every line with its level, for assertions on what a run logged. */
public final class TestContext extends LocalContext {

    public record Line(LogLevel level, String message) {
    }

    private final List<Line> lines;

    public TestContext() {
        this(new CopyOnWriteArrayList<>());
    }

    private TestContext(List<Line> lines) {
        super(new LambdaLogger() {
            @Override
            public void log(String message) {
                lines.add(new Line(LogLevel.UNDEFINED, message));
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }

            @Override
            public void log(String message, LogLevel level) {
                lines.add(new Line(level, message));
            }
        });
        this.lines = lines;
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }
}
