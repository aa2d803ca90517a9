package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.KeepPolicy;
import io.github.s3sweeper.rules.Period;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** RULES as the parser reads it: each rule the top-level settings with its own fields, all checked together. */
class RulesTest {

    private static Map<String, String> env(String rules) {
        Map<String, String> env = new HashMap<>(Map.of("BUCKET_NAME", "my-backups", "PREFIX", "backups/",
                "RETENTION_DAYS", "30", "AWS_REGION", "us-east-1", "KEEP_LATEST", "2", "EXCLUDE", "**/*.keep",
                "MAX_DELETES", "100"));
        env.put("RULES", rules);
        return env;
    }

    private static List<String> problems(Map<String, String> env) {
        return catchThrowableOfType(InvalidSettingsException.class, () -> SettingsParser.parse(env)).problems();
    }

    @Test
    void aRuleIsTheTopLevelSettingsWithItsPrefixAndItsOwnFields() {
        Settings settings = SettingsParser.parse(env("[{\"name\":\"db\",\"prefix\":\"backups/db/\",\"olderThan\":"
                + "\"36h\",\"include\":[\"*.gz\",\"*.zip\"],\"minSize\":1024,\"dryRun\":true},"
                + "{\"name\":\"logs.v2\",\"prefix\":\"backups/logs/\",\"keepLatest\":\"\"}]"));

        assertThat(settings.rules()).extracting(Rule::name).containsExactly("db", "logs.v2");
        Rule db = settings.rules().get(0);
        assertThat(db.sweep().prefix()).isEqualTo("backups/db/");
        assertThat(db.sweep().globRoot()).as("globs are relative to the rule's prefix").isEqualTo("backups/db/");
        assertThat(db.sweep().age()).isEqualTo(Age.of(Duration.ofHours(36)));
        assertThat(db.sweep().includes()).singleElement().asList().extracting(String::valueOf)
                .containsExactly("*.gz", "*.zip");
        assertThat(db.sweep().minSize()).isEqualTo(1024);
        assertThat(db.sweep().dryRun()).isTrue();
        assertThat(db.sweep().keepLatest()).as("inherited").isEqualTo(2);
        assertThat(db.sweep().exclude()).extracting(String::valueOf).as("inherited").containsExactly("**/*.keep");
        assertThat(db.sweep().selection().matchesKey("backups/db/x.gz")).isTrue();
        assertThat(db.sweep().selection().matchesKey("backups/db/x.keep")).isFalse();
        Rule logs = settings.rules().get(1);
        assertThat(logs.sweep().age()).as("the top-level age").isEqualTo(Age.ofDays(30));
        assertThat(logs.sweep().keepLatest()).as("empty is not set: inherited").isEqualTo(2);
        assertThat(logs.sweep().dryRun()).isFalse();
        assertThat(settings.sweep().prefix()).isEqualTo("backups/");
        assertThat(settings.sweep().maxDeletes()).hasValue(100);
    }

    @Test
    void aRuleHasItsOwnGroupsAndCalendarRulesAndInheritsTheOthers() {
        Map<String, String> env = env("[{\"name\":\"db\",\"prefix\":\"backups/db/\",\"groupBy\":\"depth:1\","
                + "\"keepDaily\":7,\"keepMonthly\":\"12\",\"keepWithin\":\"36h\",\"timezone\":\"Europe/Paris\"},"
                + "{\"name\":\"logs\",\"prefix\":\"backups/logs/\"}]");
        env.put("KEEP_WEEKLY", "4");

        Settings settings = SettingsParser.parse(env);

        SweepSettings db = settings.rules().get(0).sweep();
        assertThat(db.groupBy()).hasToString("depth:1");
        assertThat(db.groupBy().groupOf("orders/2026-01-01.dump")).as("groups under the rule's prefix")
                .isEqualTo("orders/");
        assertThat(db.keepPolicy()).isEqualTo(new KeepPolicy(2, Map.of(
                Period.DAILY, 7, Period.WEEKLY, 4,
                Period.MONTHLY, 12), Duration.ofHours(36),
                ZoneId.of("Europe/Paris")));
        SweepSettings logs = settings.rules().get(1).sweep();
        assertThat(logs.keepPolicy()).as("the top level's").isEqualTo(new KeepPolicy(2,
                Map.of(Period.WEEKLY, 4), Duration.ZERO, ZoneOffset.UTC));
    }

    @Test
    void aRulesCalendarRuleIsCheckedAsItsVariableIs() {
        assertThat(problems(env("[{\"name\":\"db\",\"prefix\":\"backups/db/\",\"keepDaily\":-1,"
                + "\"timezone\":\"Mars/Base\"}]"))).containsExactly(
                "RULES[0] \"db\": keepDaily=\"-1\": must be at least 0; allowed: a whole number from 0 to 100000",
                "RULES[0] \"db\": timezone=\"Mars/Base\": not a time zone the Java runtime knows; allowed: an IANA"
                        + " time zone such as Europe/Paris or America/New_York, UTC, or an offset such as +05:30");
    }

    @Test
    void aRulesIncludeReplacesTheTopLevelOneInsteadOfAddingToIt() {
        Map<String, String> env = env("[{\"name\":\"db\",\"prefix\":\"backups/db/\",\"include\":\"*.gz\"}]");
        env.put("INCLUDE", "*.zip");

        Rule db = SettingsParser.parse(env).rules().get(0);

        assertThat(db.sweep().includes()).singleElement().asList().extracting(String::valueOf).containsExactly("*.gz");
    }

    @Test
    void theOnlyRuleMayHaveThePrefixItselfButNotBesideAnother() {
        assertThat(SettingsParser.parse(env("[{\"name\":\"all\",\"prefix\":\"backups/\"}]")).rules())
                .singleElement().extracting(Rule::prefix).isEqualTo("backups/");
        assertThat(problems(env("[{\"name\":\"all\",\"prefix\":\"backups/\"},{\"name\":\"db\",\"prefix\":"
                + "\"backups/db/\"}]"))).singleElement().asString()
                .startsWith("RULES[0] \"all\" prefix=\"backups/\" and RULES[1] \"db\" prefix=\"backups/db/\":"
                        + " overlapping prefixes");
    }

    @Test
    void prefixesThatOnlyShareAStartDoNotOverlap() {
        assertThat(SettingsParser.parse(env("[{\"name\":\"a\",\"prefix\":\"backups/a/\"},{\"name\":\"ab\","
                + "\"prefix\":\"backups/ab/\"}]")).rules()).hasSize(2);
    }

    @Test
    void everyProblemOfEveryRuleIsNamedAtOnceWithTheOtherSettings() {
        Map<String, String> env = env("[{\"name\":\"db\",\"prefix\":\"backups/db/\",\"keepLatest\":\"-1\","
                + "\"maxDeletes\":5},{\"name\":\"db\",\"prefix\":\"other/\"},{\"prefix\":\"backups/x/\","
                + "\"include\":{\"a\":1}},{\"name\":\"d\",\"prefix\":\"backups/db/2026/\"}]");
        env.put("BUCKET_NAME", "Bad_Bucket");

        List<String> problems = problems(env);

        assertThat(problems).hasSize(8);
        assertThat(problems.get(0)).startsWith("BUCKET_NAME=\"Bad_Bucket\": ");
        assertThat(problems.subList(1, 8)).containsExactly(
                "RULES[0] \"db\": field \"maxDeletes\": unknown; allowed: the fields name, prefix, retentionDays,"
                        + " olderThan, dryRun, keepLatest, groupBy, keepHourly, keepDaily, keepWeekly,"
                        + " keepMonthly, keepYearly, keepWithin, timezone, include, exclude, minSize, maxSize",
                "RULES[0] \"db\": keepLatest=\"-1\": must be at least 0; allowed: a whole number from 0 to 100000",
                "RULES[1] \"db\": the same name as RULES[0]; allowed: 1 to 64 letters, digits, '-', '_' and '.',"
                        + " unique among the rules",
                "RULES[1] \"db\": prefix=\"other/\": outside PREFIX=\"backups/\" (the IAM role is scoped to it);"
                        + " allowed: a key prefix that starts with PREFIX=\"backups/\" (S3 prefixes are plain string"
                        + " prefixes)",
                "RULES[2]: no \"name\"; allowed: 1 to 64 letters, digits, '-', '_' and '.', unique among the rules",
                "RULES[2]: include={\"a\":1}: a JSON object, not the text INCLUDE takes; allowed: "
                        + "comma-separated glob patterns matched against the key relative to the prefix: * and ?"
                        + " within one / segment, ** across segments, {a,b} alternatives",
                "RULES[0] \"db\" prefix=\"backups/db/\" and RULES[3] \"d\" prefix=\"backups/db/2026/\": overlapping"
                        + " prefixes (every key under \"backups/db/2026/\" is under \"backups/db/\" too: S3 prefixes"
                        + " are plain string prefixes); allowed: prefixes none of which starts with another");
    }

    @Test
    void theOverlapIsNamedAfterTheRulesOneByOne() {
        List<String> problems = problems(env("[{\"name\":\"db\",\"prefix\":\"backups/db/\",\"keepLatest\":\"x\"},"
                + "{\"name\":\"d\",\"prefix\":\"backups/db/2026/\"}]"));

        assertThat(problems).containsExactly(
                "RULES[0] \"db\": keepLatest=\"x\": not a whole number; allowed: a whole number from 0 to 100000",
                "RULES[0] \"db\" prefix=\"backups/db/\" and RULES[1] \"d\" prefix=\"backups/db/2026/\": overlapping"
                        + " prefixes (every key under \"backups/db/2026/\" is under \"backups/db/\" too: S3 prefixes"
                        + " are plain string prefixes); allowed: prefixes none of which starts with another");
    }

    @Test
    void everySettingMarkedPerRuleIsAFieldUnderItsInputNameAndNoOtherIs() {
        assertThat(Rules.fields()).containsExactly("name", "prefix", "retentionDays", "olderThan", "dryRun",
                "keepLatest", "groupBy", "keepHourly", "keepDaily", "keepWeekly", "keepMonthly", "keepYearly",
                "keepWithin", "timezone", "include", "exclude", "minSize", "maxSize");
        assertThat(Catalog.ALL.stream().filter(Setting::isPerRule).map(Setting::name))
                .containsExactlyElementsOf(Rules.fields().subList(2, Rules.fields().size()));
    }
}
