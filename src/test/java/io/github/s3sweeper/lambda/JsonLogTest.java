package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.github.s3sweeper.testing.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLogTest {

    private final LogLines lines = new LogLines();

    @ParameterizedTest(name = "AWS_LAMBDA_LOG_LEVEL={0} -> {1}")
    @CsvSource({"DEBUG, DEBUG", "warn, WARN", "' ERROR ', ERROR", "TRACE, TRACE", "loud, INFO", "'', INFO",
            "UNDEFINED, INFO"})
    void readsTheLevelLambdaSetsFromApplicationLogLevel(String value, LogLevel expected) {
        assertThat(JsonLog.threshold(Map.of(JsonLog.LOG_LEVEL, value))).isEqualTo(expected);
    }

    @Test
    void withoutTheVariableTheLevelIsInfo() {
        assertThat(JsonLog.threshold(Map.of())).isEqualTo(LogLevel.INFO);
    }

    @Test
    void linesBelowTheThresholdAreNotWritten() {
        JsonLog log = new JsonLog(lines, LogLevel.WARN, Map.of());

        log.log(LogLevel.INFO, "start", "quiet", Map.of());
        log.log(LogLevel.ERROR, "summary", "loud", Map.of());

        assertThat(lines.records()).extracting(r -> r.get("message")).containsExactly("loud");
    }

    @Test
    void fieldsAndContextAreTopLevelAfterTimestampLevelMessageAndEvent() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("function_request_id", "r-1");
        context.put("cold_start", true);
        JsonLog log = new JsonLog(lines, LogLevel.INFO, context).with("sweep", "nightly");

        log.log(LogLevel.INFO, "deleted", "Deleted a\"b", Map.of("key", "a\"b\n"));

        Map<String, Object> line = lines.records().get(0);
        assertThat(line.keySet()).containsExactly("timestamp", "level", "message", "event", "key",
                "function_request_id", "cold_start", "sweep");
        assertThat(line).containsEntry("key", "a\"b\n").containsEntry("level", "INFO");
        assertThat((String) line.get("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(lines.raw()).singleElement().satisfies(raw -> assertThat(raw).doesNotContain("\n"));
    }

    @Test
    void aLineWrittenDirectlyIsTheOneTheMapOfItsMembersGives() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("service", "s3-sweeper");
        context.put("function_memory_size", 512);
        context.put("trace", null);
        context.put("sweep", "b/p\u2603");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", "logs/a\"b\\c\r\n\u0001é");
        fields.put("versionId", null);
        fields.put("size", 12L);
        fields.put("overridden", java.util.List.of("PREFIX", "DRY_RUN"));
        fields.put("problems", Map.of("a", 1));
        new JsonLog(lines, LogLevel.INFO, context).log(LogLevel.INFO, "wouldDelete", "Would delete \"x\"", fields);

        String raw = lines.raw().get(0);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("timestamp", lines.records().get(0).get("timestamp"));
        expected.put("level", "INFO");
        expected.put("message", "Would delete \"x\"");
        expected.put("event", "wouldDelete");
        expected.putAll(fields);
        context.forEach(expected::putIfAbsent);
        assertThat(raw).isEqualTo(io.github.s3sweeper.report.Json.write(expected));
    }

    @Test
    void anEventFieldIsNotOverwrittenByTheContext() {
        JsonLog log = new JsonLog(lines, LogLevel.INFO, Map.of("sweep", "context"));

        log.log(LogLevel.INFO, "start", "m", Map.of("sweep", "event"));

        assertThat(lines.records().get(0)).containsEntry("sweep", "event");
    }

    @Test
    void theMetricsRecordSaysALevelThatLambdasFilterKeeps() {
        assertThat(new JsonLog(lines, LogLevel.DEBUG, Map.of()).alwaysLevel()).isEqualTo("INFO");
        assertThat(new JsonLog(lines, LogLevel.INFO, Map.of()).alwaysLevel()).isEqualTo("INFO");
        assertThat(new JsonLog(lines, LogLevel.ERROR, Map.of()).alwaysLevel()).isEqualTo("ERROR");
    }
}
