package io.github.s3sweeper.lambda;

import io.github.s3sweeper.report.Version;
import io.github.s3sweeper.testing.LogLines;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yaml read as text against what the function emits: the alarms watch metrics the function writes, under
 * the namespace and dimension value it is given; sam local invoke's env file overrides only declared variables;
 * the published version is the jar's.
 */
class TemplateMetricsTest {

    private static final String TEMPLATE = read("template.yaml");

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The function's environment variables as the template sets them: name to the YAML text of the value. */
    private static Map<String, String> functionEnvironment() {
        int start = TEMPLATE.indexOf("      Environment:\n        Variables:\n");
        assertThat(start).as("SweeperFunction's Environment.Variables").isPositive();
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^ {10}([A-Z_0-9]+): (.*)$").matcher(TEMPLATE);
        line.region(start, TEMPLATE.indexOf("\n      EventInvokeConfig:", start));
        while (line.find()) {
            variables.put(line.group(1), line.group(2).trim());
        }
        return variables;
    }

    @Test
    void customMetricAlarmsWatchMetricsTheFunctionWritesUnderItsNamespaceAndSweep() {
        Map<String, String> env = functionEnvironment();
        Matcher alarm = Pattern.compile("(?s)Namespace: !Ref MetricsNamespace\\s+MetricName: (\\w+)\\s+Dimensions:\\s+"
                + "- Name: (\\w+)\\s+Value: ([^\\n]+)").matcher(TEMPLATE);
        List<String> watched = new ArrayList<>();
        while (alarm.find()) {
            watched.add(alarm.group(1));
            assertThat(alarm.group(2)).isEqualTo(RunMetrics.DIMENSION);
            assertThat(alarm.group(3).trim()).as("the alarm's Sweep is the function's SWEEP_NAME")
                    .isEqualTo(env.get("SWEEP_NAME"));
        }
        assertThat(watched).containsExactlyInAnyOrder("DeleteFailures", "UploadsFailed", "IncompleteRuns");
        assertThat(RunMetrics.METRICS).extracting(RunMetrics.Metric::name).contains(watched.toArray(String[]::new));
        assertThat(env).containsEntry("POWERTOOLS_METRICS_NAMESPACE", "!Ref MetricsNamespace");
    }

    @Test
    void theDashboardShowsOnlyMetricsTheFunctionWrites() {
        Matcher widget = Pattern.compile("\\[\"\\$\\{MetricsNamespace}\", \"(\\w+)\", \"Sweep\", \"\\$\\{Sweep}\"")
                .matcher(TEMPLATE);
        List<String> shown = new ArrayList<>();
        while (widget.find()) {
            shown.add(widget.group(1));
        }
        assertThat(shown).isNotEmpty();
        assertThat(RunMetrics.METRICS).extracting(RunMetrics.Metric::name).contains(shown.toArray(String[]::new));
        assertThat(TEMPLATE).contains("- Sweep: " + functionEnvironment().get("SWEEP_NAME"));
    }

    @Test
    void theEnvFileForSamLocalInvokeHoldsExactlyTheVariablesTheTemplateDeclares() {
        @SuppressWarnings("unchecked")
        Map<String, Object> file = (Map<String, Object>) LogLines.parse(read("events/env.json")).get("SweeperFunction");
        Map<String, String> declared = functionEnvironment();

        assertThat(declared).containsKeys("AWS_ENDPOINT_URL_S3", "SWEEP_NAME", "POWERTOOLS_METRICS_NAMESPACE");
        // sam local invoke ignores a variable the template does not declare; the runtime test runs with this file.
        assertThat(file.keySet()).containsExactlyInAnyOrderElementsOf(declared.keySet());
    }

    @Test
    void theServerlessRepoVersionIsTheVersionTheJarReports() {
        Matcher version = Pattern.compile("(?m)^\\s+SemanticVersion: (\\S+)$").matcher(TEMPLATE);

        assertThat(version.find()).isTrue();
        assertThat(version.group(1)).isEqualTo(Version.current()).doesNotContain("SNAPSHOT");
        assertThat(read("CHANGELOG.md")).contains("## [" + Version.current() + "]");
        assertThat(read("LICENSE")).contains("Apache License", "Version 2.0, January 2004");
    }
}
