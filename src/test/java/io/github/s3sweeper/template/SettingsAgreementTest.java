package io.github.s3sweeper.template;

import io.github.s3sweeper.config.Catalog;
import io.github.s3sweeper.config.Setting;
import io.github.s3sweeper.config.SettingsParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The settings' declarations (config/Catalog) against what repeats them for people and for CloudFormation: the
 * template's parameters and their limits, the function's environment, events/env.json, the README's settings table
 * and its flags. A setting added or changed in one place and not the others fails here.
 */
class SettingsAgreementTest {

    /**
     * Variables the function's environment carries that are not settings of a sweep: the JVM's options and the
     * Powertools service name (a log field the Lambda adapter reads), and the log level Lambda sets itself.
     */
    private static final Set<String> NOT_SETTINGS = Set.of("JAVA_TOOL_OPTIONS", "POWERTOOLS_SERVICE_NAME",
            "AWS_LAMBDA_LOG_LEVEL");

    private static final Map<?, ?> TEMPLATE = IamPolicyCheck.parse(read("template.yaml"));

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<?, ?> map(Object value) {
        return (Map<?, ?>) value;
    }

    private static Map<?, ?> parameter(String name) {
        return map(map(TEMPLATE.get("Parameters")).get(name));
    }

    private static Map<?, ?> functionEnvironment() {
        Map<?, ?> function = map(map(TEMPLATE.get("Resources")).get("SweeperFunction"));
        return map(map(map(function.get("Properties")).get("Environment")).get("Variables"));
    }

    @Test
    void everyTemplateParameterOfASettingSetsItsVariable() {
        for (Setting<?> setting : Catalog.ALL) {
            setting.templateParameter().ifPresent(name -> {
                assertThat(parameter(name)).as(name).isNotNull();
                Object value = functionEnvironment().get(setting.env().orElseThrow());
                assertThat(value).as(setting.env().get() + " in the function's environment").isNotNull();
                assertThat(String.valueOf(value)).as(setting.env().get()).contains(name);
            });
        }
    }

    @Test
    void theFunctionsEnvironmentHoldsOnlyDeclaredVariables() {
        for (Object variable : functionEnvironment().keySet()) {
            assertThat(Catalog.variables().contains((String) variable) || NOT_SETTINGS.contains((String) variable))
                    .as(variable + " is declared in config/Catalog").isTrue();
        }
    }

    @Test
    void wholeNumberParametersHaveTheDeclaredBounds() {
        for (Setting<?> setting : Catalog.ALL) {
            if (setting.templateParameter().isEmpty() || setting.type().min().isEmpty()) {
                continue;
            }
            String name = setting.templateParameter().get();
            Map<?, ?> parameter = parameter(name);
            long min = setting.type().min().getAsLong();
            long max = setting.type().max().getAsLong();
            if ("Number".equals(parameter.get("Type"))) {
                assertThat(((Number) parameter.get("MinValue")).longValue()).as(name + " MinValue").isEqualTo(min);
                assertThat(((Number) parameter.get("MaxValue")).longValue()).as(name + " MaxValue").isEqualTo(max);
                assertThat(String.valueOf(parameter.get("Default"))).as(name + " Default")
                        .isEqualTo(String.valueOf(setting.defaultValue()));
            } else {
                // A String with a pattern: it may be empty (not set), and holds exactly the numbers allowed.
                Pattern allowed = Pattern.compile((String) parameter.get("AllowedPattern"));
                for (long ok : List.of(min, max, (min + max) / 2)) {
                    assertThat(allowed.matcher(String.valueOf(ok)).matches()).as(name + " allows " + ok).isTrue();
                }
                for (String refused : List.of(String.valueOf(min - 1), String.valueOf(max + 1), "1.5", "+5")) {
                    assertThat(allowed.matcher(refused).matches()).as(name + " refuses " + refused).isFalse();
                }
                assertThat(allowed.matcher("").matches()).as(name + " may be empty").isEqualTo(!setting.required());
            }
        }
    }

    @Test
    void booleanParametersAllowTrueAndFalseWithTheDeclaredDefault() {
        for (Setting<?> setting : Catalog.ALL) {
            if (setting.templateParameter().isPresent() && setting.type().isBoolean()) {
                Map<?, ?> parameter = parameter(setting.templateParameter().get());
                assertThat(parameter.get("AllowedValues")).as(setting.name()).isEqualTo(List.of("true", "false"));
                assertThat(parameter.get("Default")).as(setting.name()).isEqualTo(setting.defaultText());
            }
        }
    }

    @Test
    void everyParametersDefaultIsAValueTheFunctionAccepts() {
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", "us-east-1"));
        for (Setting<?> setting : Catalog.ALL) {
            setting.templateParameter().ifPresent(name -> {
                Object value = parameter(name).get("Default");
                env.put(setting.env().orElseThrow(), value == null ? "valid-bucket" : String.valueOf(value));
            });
        }
        assertThatCode(() -> SettingsParser.parse(env)).as("the template's defaults, %s", env).doesNotThrowAnyException();
    }

    @Test
    void theEnvFileForSamLocalInvokeHoldsDeclaredVariablesWithAcceptedValues() throws IOException {
        Map<String, String> file = new LinkedHashMap<>();
        String json = read("events/env.json");
        Matcher entry = Pattern.compile("\"([A-Z0-9_]+)\": \"([^\"]*)\"").matcher(json);
        while (entry.find()) {
            file.put(entry.group(1), entry.group(2));
        }
        assertThat(file).isNotEmpty();
        for (String variable : file.keySet()) {
            assertThat(Catalog.variables().contains(variable) || NOT_SETTINGS.contains(variable))
                    .as(variable + " is declared in config/Catalog").isTrue();
        }
        Map<String, String> env = new HashMap<>(file);
        env.put("AWS_REGION", "us-east-1");
        assertThatCode(() -> SettingsParser.parse(env)).doesNotThrowAnyException();
    }

    /** The README's settings table: each row's variables and its default cell. */
    private static Map<String, String> readmeTable() {
        String readme = read("README.md");
        int start = readme.indexOf("| variable | meaning | allowed | default |");
        assertThat(start).as("the settings table").isPositive();
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : readme.substring(start).lines().skip(2).takeWhile(l -> l.startsWith("|")).toList()) {
            String[] cells = line.split(" \\| ");
            String last = cells[cells.length - 1];
            Matcher names = Pattern.compile("`([A-Z0-9_]+)`").matcher(cells[0]);
            while (names.find()) {
                defaults.put(names.group(1), last.replace("`", "").replaceAll("\\s*\\|$", "").strip()
                        + " || " + cells[cells.length - 2]);
            }
        }
        return defaults;
    }

    @Test
    void theReadmesTableHasARowForEveryVariableWithItsDefaultAndBounds() {
        Map<String, String> table = readmeTable();
        Set<String> expected = new TreeSet<>(Catalog.variables());
        expected.add("POWERTOOLS_SERVICE_NAME");
        expected.add("AWS_LAMBDA_LOG_LEVEL");
        assertThat(new TreeSet<>(table.keySet())).isEqualTo(expected);
        for (Setting<?> setting : Catalog.ALL) {
            setting.env().ifPresent(variable -> {
                String[] cells = table.get(variable).split(" \\|\\| ");
                assertThat(cells[0]).as(variable + "'s default").isEqualTo(setting.defaultText());
                setting.type().min().ifPresent(min -> assertThat(cells[1]).as(variable + "'s bounds")
                        .contains(String.valueOf(min)).contains(String.valueOf(setting.type().max().getAsLong())));
            });
        }
    }

    @Test
    void theReadmesCommandLineSectionNamesEveryFlag() {
        String readme = read("README.md");
        int start = readme.indexOf("## Command line");
        assertThat(start).as("the README's command-line section").isPositive();
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Set<String> missing = Catalog.commandLine().stream().map(Setting::flag).filter(flag -> !section.contains("`" + flag))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(missing).as("flags the README does not show").isEmpty();
    }
}
