package io.github.s3sweeper.template;

import io.github.s3sweeper.config.Catalog;
import io.github.s3sweeper.config.Setting;
import io.github.s3sweeper.config.SettingsParser;
import io.github.s3sweeper.template.IamPolicyCheck.Fn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * template-distributed.yaml against what it must agree with: its state machine's definition wired to its parameters
 * (ItemReader, ItemBatcher, MaxConcurrency, ToleratedFailurePercentage, the functions), its parameters to the
 * settings' declarations (config/Catalog) and to template.yaml's, the batches in events/ to its BatchInput, and its
 * four roles to least privilege.
 */
class DistributedTemplateTest {

    private static final String FILE = "template-distributed.yaml";
    private static final String TEXT = read(FILE);
    private static final Map<?, ?> TEMPLATE = IamPolicyCheck.parse(TEXT);
    private static final Map<?, ?> MAIN = IamPolicyCheck.parse(read("template.yaml"));
    /** Settings this mode refuses (they need the whole listing): neither parameters nor variables here. */
    private static final List<Setting<?>> REFUSED = List.of(Catalog.KEEP_LATEST, Catalog.MAX_DELETES,
            Catalog.NONCURRENT_DAYS, Catalog.KEEP_NONCURRENT, Catalog.BYPASS_GOVERNANCE);
    private static final Set<String> NOT_SETTINGS = Set.of("JAVA_TOOL_OPTIONS", "POWERTOOLS_SERVICE_NAME");

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        Object normal = IamPolicyCheck.normalDeep(value);
        assertThat(normal).isInstanceOf(Map.class);
        return (Map<String, Object>) normal;
    }

    private static Map<?, ?> resource(String name) {
        return map(map(TEMPLATE.get("Resources")).get(name));
    }

    private static Map<?, ?> properties(String name) {
        return map(resource(name).get("Properties"));
    }

    private static Map<?, ?> states() {
        return map(map(properties("StateMachine").get("Definition")).get("States"));
    }

    private static Map<?, ?> sweep() {
        return map(states().get("Sweep"));
    }

    /** What a ${Name} of the definition is replaced with. */
    private static Object substitution(String placeholder) {
        Matcher name = Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(placeholder);
        assertThat(name.find()).as(placeholder + " holds a ${...}").isTrue();
        return IamPolicyCheck.normalDeep(map(properties("StateMachine").get("DefinitionSubstitutions"))
                .get(name.group(1)));
    }

    private static Map<?, ?> parameters() {
        return map(TEMPLATE.get("Parameters"));
    }

    @Test
    void theItemReaderListsTheTemplatesBucketAndPrefixOrReadsTheInventoryOfItsBucket() {
        Fn reader = (Fn) IamPolicyCheck.normalDeep(sweep().get("ItemReader"));
        assertThat(reader.name()).isEqualTo("If");
        List<?> branches = (List<?>) reader.value();
        assertThat(branches.get(0)).isEqualTo("UseInventory");

        Map<String, Object> listing = map(branches.get(2));
        assertThat(listing.get("Resource")).isEqualTo("arn:aws:states:::s3:listObjectsV2");
        Map<String, Object> listed = map(listing.get("Parameters"));
        assertThat(listed.keySet()).containsExactlyInAnyOrder("Bucket", "Prefix");
        assertThat(substitution((String) listed.get("Bucket"))).isEqualTo(new Fn("Ref", "BucketName"));
        assertThat(substitution((String) listed.get("Prefix"))).isEqualTo(new Fn("Ref", "Prefix"));

        Map<String, Object> inventory = map(branches.get(1));
        assertThat(inventory.get("Resource")).isEqualTo("arn:aws:states:::s3:getObject");
        assertThat(map(inventory.get("ReaderConfig"))).containsEntry("InputType", "MANIFEST");
        assertThat(substitution((String) map(inventory.get("Parameters")).get("Bucket")))
                .isEqualTo(new Fn("Ref", "InventoryBucket"));
    }

    /** A value of the Settings state, as the Map reads it through a *Path field: which template parameter it is. */
    private static String parameterBehind(String path) {
        assertThat(path).startsWith("$.settings.");
        Map<String, Object> settings = map(states().get("Settings"));
        assertThat(settings.get("ResultPath")).isEqualTo("$.settings");
        assertThat(settings.get("Next")).isEqualTo("Sweep");
        assertThat(map(TEMPLATE.get("Resources")).containsKey("StateMachine")).isTrue();
        assertThat(map(properties("StateMachine").get("Definition")).get("StartAt")).isEqualTo("Settings");
        String expression = (String) map(settings.get("Parameters")).get(path.substring("$.settings.".length()) + ".$");
        Matcher json = Pattern.compile("States\\.StringToJson\\('(\\$\\{[A-Za-z]+})'\\)").matcher(expression);
        assertThat(json.matches()).as(expression).isTrue();
        Fn ref = (Fn) substitution(json.group(1));
        assertThat(ref.name()).isEqualTo("Ref");
        return (String) ref.value();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"MaxItemsPerBatchPath, MaxItemsPerBatch, 1, 1000", "MaxConcurrencyPath, MaxConcurrency, 1, 10000",
            "ToleratedFailurePercentagePath, ToleratedFailurePercentage, 0, 100"})
    void theMapsLimitsAreTheTemplatesParameters(String field, String parameter, long min, long max) {
        Map<?, ?> holder = field.startsWith("MaxItems") ? map(sweep().get("ItemBatcher")) : sweep();
        assertThat(parameterBehind((String) holder.get(field))).isEqualTo(parameter);
        Map<String, Object> declared = map(parameters().get(parameter));
        assertThat(declared.get("Type")).isEqualTo("Number");
        assertThat(((Number) declared.get("MinValue")).longValue()).isEqualTo(min);
        assertThat(((Number) declared.get("MaxValue")).longValue()).isEqualTo(max);
        // The literal fields would win over nothing, but two sources of one limit is one too many.
        assertThat(holder.containsKey(field.replace("Path", ""))).isFalse();
    }

    @Test
    void eachBatchFitsOneDeleteObjectsAndTheMapsInputLimitAndCarriesTheRunsStart() {
        Map<String, Object> batcher = map(sweep().get("ItemBatcher"));
        assertThat(batcher.get("MaxInputBytesPerBatch")).isEqualTo(262144);
        assertThat(map(batcher.get("BatchInput"))).isEqualTo(Map.of("runStartedAt.$", "$$.Execution.StartTime"));
        Map<String, Object> processor = map(sweep().get("ItemProcessor"));
        assertThat(map(processor.get("ProcessorConfig"))).containsEntry("Mode", "DISTRIBUTED");
        // The batches of events/ carry exactly what the ItemBatcher passes.
        for (String event : List.of("events/distributed-batch-listobjects.json", "events/distributed-batch-inventory.json")) {
            assertThat(read(event)).contains("\"BatchInput\": {\n    \"runStartedAt\": ");
        }
    }

    @Test
    void theTasksInvokeTheTwoFunctionsWhoseHandlersExist() throws ClassNotFoundException {
        Map<String, Object> batch = map(map(map(sweep().get("ItemProcessor")).get("States")).get("DeleteBatch"));
        Map<String, Object> report = map(states().get("Report"));
        assertThat(substitution((String) map(batch.get("Parameters")).get("FunctionName")))
                .isEqualTo(new Fn("GetAtt", "BatchFunction.Arn"));
        assertThat(substitution((String) map(report.get("Parameters")).get("FunctionName")))
                .isEqualTo(new Fn("GetAtt", "ReportFunction.Arn"));
        assertThat(batch.get("Retry").toString()).contains("Lambda.TooManyRequestsException", "Lambda.ServiceException");
        assertThat(sweep().get("Next")).isEqualTo("Report");
        assertThat(map(map(report.get("Parameters")).get("Payload"))).containsEntry("runStartedAt.$",
                "$$.Execution.StartTime").containsEntry("ResultWriterDetails.$", "$.map.ResultWriterDetails");
        assertThat(sweep().get("ResultPath")).isEqualTo("$.map");
        assertThat(substitution((String) map(map(sweep().get("ResultWriter")).get("Parameters")).get("Bucket")))
                .isEqualTo(new Fn("Ref", "ResultsBucket"));
        // A succeeded child's output alone (not its input of 1,000 items), one record per line, streamed by the report.
        assertThat(map(sweep().get("ResultWriter")).get("WriterConfig"))
                .isEqualTo(Map.of("Transformation", "COMPACT", "OutputType", "JSONL"));
        for (String function : List.of("BatchFunction", "ReportFunction")) {
            String handler = (String) properties(function).get("Handler");
            Class.forName(handler.substring(0, handler.indexOf("::")));
            assertThat(map(resource(function).get("Metadata"))).containsEntry("BuildMethod", "makefile");
            assertThat(read("Makefile")).contains("build-" + function);
        }
    }

    private static Map<?, ?> environment() {
        Map<String, Object> function = map(map(TEMPLATE.get("Globals")).get("Function"));
        return map(map(function.get("Environment")).get("Variables"));
    }

    @Test
    void everySharedSettingIsAParameterAsInTheFunctionTemplateAndSetsItsVariable() {
        Map<String, Object> main = map(MAIN.get("Parameters"));
        List<String> shared = new ArrayList<>();
        for (Setting<?> setting : Catalog.ALL) {
            if (setting.templateParameter().isEmpty()) {
                continue;
            }
            String name = setting.templateParameter().get();
            String variable = setting.env().orElseThrow();
            if (REFUSED.contains(setting)) {
                assertThat(parameters().containsKey(name)).as(name + " is refused in this mode").isFalse();
                assertThat(environment().containsKey(variable)).as(variable).isFalse();
                continue;
            }
            if (!parameters().containsKey(name)) {
                continue; // LIST_CONCURRENCY, PROGRESS_INTERVAL: the state machine lists, a batch is short
            }
            shared.add(name);
            assertThat(String.valueOf(environment().get(variable))).as(variable).contains(name);
            Map<String, Object> mine = new LinkedHashMap<>(map(parameters().get(name)));
            Map<String, Object> theirs = new LinkedHashMap<>(map(main.get(name)));
            mine.remove("Description");
            theirs.remove("Description");
            if (name.equals("Prefix")) {
                // Tighter here: the prefix is also written into the state machine's JSON.
                assertThat(Pattern.compile((String) mine.get("AllowedPattern")).matcher("a\"b").matches()).isFalse();
                mine.remove("AllowedPattern");
                mine.remove("ConstraintDescription");
                theirs.remove("AllowedPattern");
                theirs.remove("ConstraintDescription");
            }
            assertThat(mine).as(name + " as template.yaml declares it").isEqualTo(theirs);
        }
        assertThat(shared).contains("BucketName", "Prefix", "AllowWholeBucket", "RetentionDays", "OlderThan", "DryRun",
                "Include", "Exclude", "MinSize", "MaxSize", "DeleteConcurrency", "S3AttemptTimeout", "SweepName",
                "MetricsNamespace");
        for (Object variable : environment().keySet()) {
            assertThat(Catalog.variables().contains((String) variable) || NOT_SETTINGS.contains((String) variable))
                    .as(variable + " is declared in config/Catalog").isTrue();
        }
    }

    @Test
    void theParametersDefaultsAreSettingsTheBatchFunctionAccepts() {
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", "us-east-1"));
        for (Setting<?> setting : Catalog.ALL) {
            setting.templateParameter().filter(parameters()::containsKey).ifPresent(name -> {
                Object value = map(parameters().get(name)).get("Default");
                env.put(setting.env().orElseThrow(), value == null ? "valid-bucket" : String.valueOf(value));
            });
        }
        assertThatCode(() -> SettingsParser.parse(env)).doesNotThrowAnyException();
        REFUSED.forEach(setting -> assertThat(env).doesNotContainKey(setting.env().orElseThrow()));
    }

    // ---- least privilege ----

    private static final String OBJECTS = "arn:${AWS::Partition}:s3:::${BucketName}/${Prefix}*";
    private static final String BUCKET = "arn:${AWS::Partition}:s3:::${BucketName}";
    private static final String RESULTS = "${ResultsBucket.Arn}/runs/*";
    private static final String MACHINE = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:"
            + "${AWS::StackName}-sweep";
    private static final String CHILDREN = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:"
            + "${AWS::StackName}-sweep/*";
    private static final Object PREFIX_CONDITION = new Fn("If", List.of("WholeBucket", new Fn("Ref", "AWS::NoValue"),
            Map.of("StringLike", Map.of("s3:prefix", new Fn("Sub", "${Prefix}*")))));

    /** Every statement of every role, as "Role policy [conditions] actions on resources (condition)". */
    static List<String> statements(String text) {
        Map<?, ?> template = IamPolicyCheck.parse(text);
        List<String> out = new ArrayList<>();
        map(template.get("Resources")).forEach((name, value) -> {
            Map<String, Object> resource = map(value);
            if (!"AWS::IAM::Role".equals(resource.get("Type"))) {
                return;
            }
            Map<String, Object> properties = map(resource.get("Properties"));
            Object trust = IamPolicyCheck.normalDeep(map(properties.get("AssumeRolePolicyDocument")).get("Statement"));
            out.add(name + " trusts " + map(((List<?>) trust).get(0)).get("Principal")
                    + (((List<?>) trust).size() == 1 ? "" : " and more"));
            if (properties.containsKey("ManagedPolicyArns")) {
                out.add(name + " has ManagedPolicyArns");
            }
            for (Object policy : (List<?>) IamPolicyCheck.normalDeep(properties.get("Policies"))) {
                Map<String, Object> p = map(policy);
                List<Object[]> found = new ArrayList<>();
                flatten(map(p.get("PolicyDocument")).get("Statement"), List.of(), found);
                for (Object[] f : found) {
                    Map<String, Object> s = map(f[0]);
                    out.add(name + " " + p.get("PolicyName") + " " + f[1] + " " + s.get("Effect") + " "
                            + strings(s.get("Action")) + " on " + strings(s.get("Resource"))
                            + (s.containsKey("Condition") ? " if " + (PREFIX_CONDITION.equals(s.get("Condition"))
                            ? "s3:prefix like ${Prefix}* (but for WholeBucket)" : s.get("Condition")) : ""));
                }
            }
        });
        return out;
    }

    private static void flatten(Object value, List<String> conditions, List<Object[]> into) {
        if (value instanceof List<?> list) {
            list.forEach(item -> flatten(item, conditions, into));
        } else if (value instanceof Fn fn && fn.name().equals("If")) {
            List<?> args = (List<?>) fn.value();
            List<String> yes = new ArrayList<>(conditions);
            yes.add((String) args.get(0));
            List<String> no = new ArrayList<>(conditions);
            no.add("!" + args.get(0));
            flatten(args.get(1), yes, into);
            flatten(args.get(2), no, into);
        } else if (value instanceof Map<?, ?>) {
            into.add(new Object[] {value, conditions});
        }
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        for (Object item : value instanceof List<?> list ? list : List.of(value)) {
            out.add(item instanceof Fn fn && fn.name().equals("Sub") ? String.valueOf(fn.value())
                    : item instanceof Fn fn ? "!" + fn.name() + " " + fn.value() : String.valueOf(item));
        }
        return out;
    }

    @Test
    void eachRoleMayDoWhatItsPartNeedsAndNothingElse() {
        assertThat(statements(TEXT)).containsExactly(
                "BatchRole trusts {Service=lambda.amazonaws.com}",
                "BatchRole write-logs [] Allow [logs:CreateLogStream, logs:PutLogEvents] on [!GetAtt BatchLogGroup.Arn]",
                "BatchRole delete-under-prefix [] Allow [s3:DeleteObject] on [" + OBJECTS + "]",
                "ReportRole trusts {Service=lambda.amazonaws.com}",
                "ReportRole write-logs [] Allow [logs:CreateLogStream, logs:PutLogEvents] on [!GetAtt ReportLogGroup.Arn]",
                "ReportRole read-results [] Allow [s3:GetObject] on [" + RESULTS + "]",
                "StateMachineRole trusts {Service=states.amazonaws.com}",
                "StateMachineRole invoke-functions [] Allow [lambda:InvokeFunction] on [!GetAtt BatchFunction.Arn,"
                        + " !GetAtt ReportFunction.Arn]",
                "StateMachineRole read-items [ListPrefix] Allow [s3:ListBucket] on [" + BUCKET + "] if s3:prefix like"
                        + " ${Prefix}* (but for WholeBucket)",
                "StateMachineRole read-items [UseInventory] Allow [s3:GetObject] on"
                        + " [arn:${AWS::Partition}:s3:::${InventoryBucket}/${InventoryPrefix}*]",
                "StateMachineRole write-results [] Allow [s3:PutObject, s3:GetObject, s3:ListMultipartUploadParts,"
                        + " s3:AbortMultipartUpload] on [" + RESULTS + "]",
                "StateMachineRole run-child-executions [] Allow [states:StartExecution] on [" + MACHINE + "]",
                "StateMachineRole run-child-executions [] Allow [states:DescribeExecution, states:StopExecution] on ["
                        + CHILDREN + "]",
                "ScheduleRole trusts {Service=scheduler.amazonaws.com}",
                "ScheduleRole start-sweep [] Allow [states:StartExecution] on [!Ref StateMachine]");
    }

    @Test
    void theRolesAreTheOnlyGrantsAndEachPartHasItsOwn() {
        Set<String> types = new LinkedHashSet<>();
        map(TEMPLATE.get("Resources")).forEach((name, value) -> {
            String type = (String) map(value).get("Type");
            types.add(type);
            if (type.startsWith("AWS::IAM::")) {
                assertThat(type).as(String.valueOf(name)).isEqualTo("AWS::IAM::Role");
            }
            if (type.equals("AWS::Serverless::Function")) {
                Map<?, ?> properties = properties((String) name);
                assertThat(properties.containsKey("Policies")).as(String.valueOf(name) + " has no SAM Policies").isFalse();
                assertThat(properties.get("Role")).isEqualTo(new Fn("GetAtt", name.toString().replace("Function", "Role")
                        + ".Arn"));
            }
        });
        assertThat(properties("StateMachine").get("RoleArn")).isEqualTo(new Fn("GetAtt", "StateMachineRole.Arn"));
        assertThat(properties("StateMachine").get("StateMachineName")).isEqualTo(new Fn("Sub", "${AWS::StackName}-sweep"));
        assertThat(map(map(properties("Schedule").get("Target"))).get("RoleArn"))
                .isEqualTo(new Fn("GetAtt", "ScheduleRole.Arn"));
        assertThat(TEXT).doesNotContain("Resource: \"*\"").doesNotContain("Resource: '*'");
        // The grants that hang on conditions mean what they say.
        Map<String, Object> conditions = map(TEMPLATE.get("Conditions"));
        assertThat(IamPolicyCheck.normalDeep(conditions.get("WholeBucket")))
                .isEqualTo(new Fn("Equals", List.of(new Fn("Ref", "Prefix"), "")));
        assertThat(IamPolicyCheck.normalDeep(conditions.get("ListPrefix")))
                .isEqualTo(new Fn("Equals", List.of(new Fn("Ref", "InventoryBucket"), "")));
        assertThat(IamPolicyCheck.normalDeep(conditions.get("UseInventory"))).isEqualTo(new Fn("Not",
                List.of(new Fn("Equals", List.of(new Fn("Ref", "InventoryBucket"), "")))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "deletions on the whole bucket|Resource: !Sub arn:${AWS::Partition}:s3:::${BucketName}/${Prefix}*"
                    + "|Resource: !Sub arn:${AWS::Partition}:s3:::${BucketName}/*",
            "child executions of any machine|execution:${AWS::StackName}-sweep/*|execution:*",
            "a listing without its condition|                  Condition: !If\\n|                  Conditio: !If\\n"})
    void theStatementListNoticesAWiderGrant(String name, String original, String replacement) {
        assertThat(TEXT.split(Pattern.quote(original.replace("\\n", "\n")), -1)).as("occurs once").hasSize(2);
        String wider = TEXT.replace(original.replace("\\n", "\n"), replacement.replace("\\n", "\n"));
        assertThat(statements(wider)).isNotEqualTo(statements(TEXT));
    }
}
