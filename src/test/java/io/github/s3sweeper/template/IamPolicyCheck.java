package io.github.s3sweeper.template;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Least privilege, checked on template.yaml's text: which IAM statements the template can produce, under which of its
 * conditions, and whether each grants only what an enabled feature needs, on only the resources it needs it on.
 *
 * <p>The allowed set: s3:ListBucket (with the s3:prefix condition "${Prefix}*", left out only under WholeBucket),
 * s3:DeleteObject and s3:GetBucketVersioning always; s3:ListBucketVersions (with the same condition) and
 * s3:DeleteObjectVersion under SweepVersions; s3:BypassGovernanceRetention under BypassGovernanceRetention;
 * s3:ListBucketMultipartUploads on the bucket (the action takes no s3:prefix condition key) and
 * s3:AbortMultipartUpload on {@value #OBJECTS}, both under AbortsUploads;
 * logs:CreateLogStream and logs:PutLogEvents on the function's log group; sqs:SendMessage on the failure queue;
 * lambda:InvokeFunction on the function itself under Chains (a run continuing itself); xray:PutTraceSegments and
 * xray:PutTelemetryRecords on "*" (X-Ray takes no other resource), under TracingActive only. Deletions only ever on {@value #OBJECTS}. Every statement is Allow, with Action and Resource (never
 * NotAction, NotResource or NotPrincipal). The conditions those grants hang on must mean what they say, the role must
 * trust lambda.amazonaws.com alone, and the template may hold no other IAM grant (no managed policies, no other IAM
 * resource, no SAM Policies on the function, which would make SAM create a role of its own).
 */
final class IamPolicyCheck {

    static final String BUCKET = "arn:${AWS::Partition}:s3:::${BucketName}";
    static final String OBJECTS = "arn:${AWS::Partition}:s3:::${BucketName}/${Prefix}*";
    static final String LOG_GROUP = "!GetAtt SweeperLogGroup.Arn";
    static final String FAILURE_QUEUE = "!GetAtt SweeperFailureQueue.Arn";
    static final String SELF = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
            + "${AWS::StackName}-sweeper";
    static final String ROLE = "SweeperRole";
    static final String FUNCTION = "SweeperFunction";

    /** A CloudFormation function: !Ref, !Sub, !If, !GetAtt, !Equals, !Not, !And, !Or, !Condition, and the rest. */
    record Fn(String name, Object value) {
        @Override
        public String toString() {
            return "!" + name + " " + value;
        }
    }

    /** What one action may be granted on, under which condition, and whether it needs the s3:prefix condition. */
    private record Grant(Set<String> resources, String condition, boolean prefixCondition) {
    }

    private static final Map<String, Grant> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("s3:ListBucket", new Grant(Set.of(BUCKET), null, true));
        ALLOWED.put("s3:DeleteObject", new Grant(Set.of(OBJECTS), null, false));
        ALLOWED.put("s3:GetBucketVersioning", new Grant(Set.of(BUCKET), null, false));
        ALLOWED.put("s3:ListBucketVersions", new Grant(Set.of(BUCKET), "SweepVersions", true));
        ALLOWED.put("s3:DeleteObjectVersion", new Grant(Set.of(OBJECTS), "SweepVersions", false));
        ALLOWED.put("s3:BypassGovernanceRetention", new Grant(Set.of(OBJECTS), "BypassGovernanceRetention", false));
        // ListBucketMultipartUploads has no s3:prefix condition key in the Service Authorization Reference: a
        // condition on it would deny every listing, so none is required.
        ALLOWED.put("s3:ListBucketMultipartUploads", new Grant(Set.of(BUCKET), "AbortsUploads", false));
        ALLOWED.put("s3:AbortMultipartUpload", new Grant(Set.of(OBJECTS), "AbortsUploads", false));
        ALLOWED.put("logs:CreateLogStream", new Grant(Set.of(LOG_GROUP), null, false));
        ALLOWED.put("logs:PutLogEvents", new Grant(Set.of(LOG_GROUP), null, false));
        ALLOWED.put("sqs:SendMessage", new Grant(Set.of(FAILURE_QUEUE), null, false));
        ALLOWED.put("lambda:InvokeFunction", new Grant(Set.of(SELF), "Chains", false));
        ALLOWED.put("xray:PutTraceSegments", new Grant(Set.of("*"), "TracingActive", false));
        ALLOWED.put("xray:PutTelemetryRecords", new Grant(Set.of("*"), "TracingActive", false));
    }

    /** What the conditions the grants hang on must be, as the template writes them. */
    private static final Map<String, Object> CONDITIONS = Map.of(
            "WholeBucket", new Fn("Equals", List.of(new Fn("Ref", "Prefix"), "")),
            "SweepVersions", new Fn("Not", List.of(new Fn("Equals", List.of(new Fn("Ref", "NoncurrentDays"), "")))),
            "BypassGovernanceRetention", new Fn("And", List.of(new Fn("Condition", "SweepVersions"),
                    new Fn("Equals", List.of(new Fn("Ref", "BypassGovernance"), "true")))),
            "AbortsUploads", new Fn("Not", List.of(new Fn("Equals",
                    List.of(new Fn("Ref", "AbortIncompleteUploadsAfter"), "")))),
            "TracingActive", new Fn("Equals", List.of(new Fn("Ref", "Tracing"), "Active")),
            "Chains", new Fn("Not", List.of(new Fn("Equals", List.of(new Fn("Ref", "MaxChainLinks"), "1")))));

    private static final Object PREFIX_CONDITION = Map.of("StringLike", Map.of("s3:prefix", new Fn("Sub", "${Prefix}*")));
    private static final Fn NO_VALUE = new Fn("Ref", "AWS::NoValue");
    /** An S3 ARN whose bucket part is a wildcard: arn:aws:s3:::*, arn:${AWS::Partition}:s3:::*\/x, ...::b?cket. */
    private static final Pattern ANY_BUCKET = Pattern.compile("arn:(?:\\$\\{AWS::Partition}|[^:]*):s3:::[^/]*[*?].*");

    /** One statement the template can produce: where it is, the conditions it is under (a "!" for the else branch). */
    record Statement(String where, List<String> conditions, Map<?, ?> body) {
    }

    private final List<String> violations = new ArrayList<>();
    private final List<Statement> statements = new ArrayList<>();

    private IamPolicyCheck() {
    }

    /** Every violation in the template, each one sentence naming the statement; empty when it is least privilege. */
    static List<String> violations(String template) {
        IamPolicyCheck check = new IamPolicyCheck();
        check.check(parse(template));
        return List.copyOf(check.violations);
    }

    /** The statements the execution role can hold, for a check that the checker saw them at all. */
    static List<Statement> statements(String template) {
        IamPolicyCheck check = new IamPolicyCheck();
        check.check(parse(template));
        return List.copyOf(check.statements);
    }

    /** The template as maps, lists, strings and {@link Fn}; a duplicated key fails, as CloudFormation would. */
    static Map<?, ?> parse(String template) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        DumperOptions dumping = new DumperOptions();
        return new Yaml(new CloudFormationConstructor(options), new Representer(dumping), dumping, options)
                .load(template);
    }

    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor(LoaderOptions options) {
            super(options);
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String name = node.getTag().getValue().substring(1);
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    if (name.equals("GetAtt") && value instanceof List<?> parts) {
                        value = String.join(".", parts.stream().map(String::valueOf).toList());
                    }
                    return new Fn(name, value);
                }
            });
        }
    }

    /** The long forms, {Ref: X} and {"Fn::If": [...]}, as the short ones. */
    private static Object normal(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            Object key = map.keySet().iterator().next();
            if ("Ref".equals(key)) {
                return new Fn("Ref", map.get(key));
            }
            if (key instanceof String name && name.startsWith("Fn::")) {
                return normal(new Fn(name.substring(4), map.get(key)));
            }
        }
        if (value instanceof Fn fn && fn.name().equals("GetAtt") && fn.value() instanceof List<?> parts) {
            return new Fn("GetAtt", String.join(".", parts.stream().map(String::valueOf).toList()));
        }
        return value;
    }

    private void check(Map<?, ?> template) {
        Map<?, ?> conditions = map(template.get("Conditions"));
        CONDITIONS.forEach((name, expected) -> {
            Object actual = normalDeep(conditions.get(name));
            if (!expected.equals(actual)) {
                violations.add("Conditions." + name + " is " + actual + ", not " + expected + ": the grants that hang"
                        + " on it would be given when the feature is off");
            }
        });
        Map<?, ?> resources = map(template.get("Resources"));
        resources.forEach((name, resource) -> {
            Map<?, ?> body = map(resource);
            Object type = body.get("Type");
            Map<?, ?> properties = map(body.get("Properties"));
            if (ROLE.equals(name)) {
                if (!"AWS::IAM::Role".equals(type)) {
                    violations.add(ROLE + " is a " + type + ", not an AWS::IAM::Role");
                }
                checkRole(properties);
            } else if (type instanceof String t && t.startsWith("AWS::IAM::")) {
                violations.add(name + " is another IAM resource (" + t + "): the function's role is " + ROLE
                        + " alone");
            } else if ("AWS::Serverless::Function".equals(type)) {
                checkFunction(String.valueOf(name), properties);
            } else if (containsKey(properties, "PolicyDocument")) {
                violations.add(name + " (" + type + ") holds a policy document: a grant this check does not know");
            }
        });
        if (!resources.containsKey(ROLE)) {
            violations.add("no " + ROLE + ": the function's role is missing");
        }
    }

    private void checkFunction(String name, Map<?, ?> properties) {
        if (properties.containsKey("Policies")) {
            violations.add(name + " has SAM Policies: SAM would create a role of its own with them");
        }
        Object role = normal(properties.get("Role"));
        if (!new Fn("GetAtt", ROLE + ".Arn").equals(role)) {
            violations.add(name + " has Role " + role + ", not !GetAtt " + ROLE + ".Arn: without it SAM creates a role"
                    + " with policies of its own");
        }
    }

    private void checkRole(Map<?, ?> properties) {
        if (properties.containsKey("ManagedPolicyArns")) {
            violations.add(ROLE + " has ManagedPolicyArns " + properties.get("ManagedPolicyArns") + ": grants this"
                    + " template does not show");
        }
        checkTrust(map(properties.get("AssumeRolePolicyDocument")));
        List<Object[]> policies = new ArrayList<>();
        collect(properties.get("Policies"), List.of(), policies);
        if (policies.isEmpty()) {
            violations.add(ROLE + " has no inline policies: the function could not work");
        }
        for (Object[] policy : policies) {
            @SuppressWarnings("unchecked")
            List<String> conditions = (List<String>) policy[1];
            Map<?, ?> body = map(policy[0]);
            String policyName = String.valueOf(body.get("PolicyName"));
            List<Object[]> found = new ArrayList<>();
            collect(map(body.get("PolicyDocument")).get("Statement"), conditions, found);
            for (int i = 0; i < found.size(); i++) {
                @SuppressWarnings("unchecked")
                List<String> under = (List<String>) found.get(i)[1];
                Statement statement = new Statement(policyName + " statement " + (i + 1), under, map(found.get(i)[0]));
                statements.add(statement);
                checkStatement(statement);
            }
        }
    }

    private void checkTrust(Map<?, ?> document) {
        List<Object[]> found = new ArrayList<>();
        collect(document.get("Statement"), List.of(), found);
        for (Object[] entry : found) {
            Map<?, ?> statement = map(entry[0]);
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("Effect", "Allow");
            expected.put("Principal", Map.of("Service", "lambda.amazonaws.com"));
            expected.put("Action", "sts:AssumeRole");
            if (!expected.equals(statement)) {
                violations.add(ROLE + " trusts " + statement + ": only lambda.amazonaws.com may assume it");
            }
        }
        if (found.isEmpty()) {
            violations.add(ROLE + " has no trust policy statement");
        }
    }

    /**
     * Flattens a list of policies or statements, following !If: the value-if-true under the condition, the
     * value-if-false under its negation; !Ref AWS::NoValue is nothing.
     */
    private void collect(Object value, List<String> conditions, List<Object[]> into) {
        value = normal(value);
        if (value == null || NO_VALUE.equals(value)) {
            return;
        }
        if (value instanceof List<?> list) {
            list.forEach(item -> collect(item, conditions, into));
        } else if (value instanceof Fn fn && fn.name().equals("If") && fn.value() instanceof List<?> args
                && args.size() == 3) {
            String condition = String.valueOf(args.get(0));
            collect(args.get(1), with(conditions, condition), into);
            collect(args.get(2), with(conditions, "!" + condition), into);
        } else if (value instanceof Map) {
            into.add(new Object[] {value, conditions});
        } else {
            violations.add("a policy or statement that is " + value + ": this check cannot tell what it grants");
        }
    }

    private void checkStatement(Statement statement) {
        Map<?, ?> body = statement.body();
        String where = statement.where() + (statement.conditions().isEmpty() ? ""
                : " (under " + String.join(", ", statement.conditions()) + ")");
        for (String not : List.of("NotAction", "NotResource", "NotPrincipal")) {
            if (body.containsKey(not)) {
                violations.add(where + " uses " + not + ": it grants everything it does not name");
            }
        }
        if (!"Allow".equals(body.get("Effect"))) {
            violations.add(where + " has Effect " + body.get("Effect") + ": every statement here is Allow");
        }
        List<String> actions = strings(body.get("Action"), where, "Action");
        List<String> resources = strings(body.get("Resource"), where, "Resource");
        for (String action : actions) {
            if (action.startsWith("s3:")) {
                resources.stream().filter(r -> r.equals("*") || ANY_BUCKET.matcher(r).matches()).forEach(r ->
                        violations.add(where + " grants " + action + " on " + r + ": an S3 action on *"));
            }
            Grant grant = ALLOWED.get(action);
            if (grant == null) {
                violations.add(where + " grants " + action + ", which no feature needs");
                continue;
            }
            for (String resource : resources) {
                if (!grant.resources().contains(resource)) {
                    violations.add(where + " grants " + action + " on " + resource + "; allowed only on "
                            + String.join(" or ", grant.resources()));
                }
            }
            if (grant.condition() != null && !statement.conditions().contains(grant.condition())) {
                violations.add(where + " grants " + action + " outside the condition " + grant.condition()
                        + ": only that feature needs it");
            }
            if (grant.prefixCondition()) {
                checkPrefixCondition(where, action, normalDeep(body.get("Condition")));
            }
        }
    }

    /** The s3:prefix condition, as it is, or left out only when the prefix is empty (WholeBucket). */
    private void checkPrefixCondition(String where, String action, Object condition) {
        boolean asIs = PREFIX_CONDITION.equals(condition);
        boolean exceptWholeBucket = condition instanceof Fn fn && fn.name().equals("If")
                && fn.value() instanceof List<?> args && args.size() == 3 && "WholeBucket".equals(args.get(0))
                && NO_VALUE.equals(args.get(1)) && PREFIX_CONDITION.equals(args.get(2));
        if (!asIs && !exceptWholeBucket) {
            violations.add(where + " grants " + action + " without the s3:prefix condition StringLike ${Prefix}* (left"
                    + " out only under WholeBucket): its Condition is " + condition);
        }
    }

    /** Action or Resource as strings: a !Sub without variables as its template, !GetAtt and !Ref as written. */
    private List<String> strings(Object value, String where, String key) {
        List<String> out = new ArrayList<>();
        value = normal(value);
        if (value == null) {
            violations.add(where + " has no " + key);
            return out;
        }
        for (Object item : value instanceof List<?> list ? list : List.of(value)) {
            item = normal(item);
            if (item instanceof String s) {
                out.add(s);
            } else if (item instanceof Fn fn && fn.name().equals("Sub") && fn.value() instanceof String s) {
                out.add(s);
            } else if (item instanceof Fn fn && (fn.name().equals("GetAtt") || fn.name().equals("Ref"))) {
                out.add("!" + fn.name() + " " + fn.value());
            } else {
                violations.add(where + " has the " + key + " " + item + ", which this check cannot read: write it as"
                        + " a string, a !Sub without variables, !GetAtt or !Ref");
                out.add(String.valueOf(item));
            }
        }
        return out;
    }

    /** A value with every long form ({Ref: X}, {"Fn::If": ...}) turned into its short form, all the way down. */
    static Object normalDeep(Object value) {
        value = normal(value);
        if (value instanceof Fn fn) {
            return new Fn(fn.name(), normalDeep(fn.value()));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(IamPolicyCheck::normalDeep).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, normalDeep(v)));
            return out;
        }
        return value;
    }

    private static boolean containsKey(Object value, String key) {
        if (value instanceof Map<?, ?> map) {
            return map.containsKey(key) || map.values().stream().anyMatch(v -> containsKey(v, key));
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(v -> containsKey(v, key));
        }
        return value instanceof Fn fn && containsKey(fn.value(), key);
    }

    private static List<String> with(List<String> conditions, String condition) {
        Set<String> more = new LinkedHashSet<>(conditions);
        more.add(condition);
        return List.copyOf(more);
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> map ? map : Map.of();
    }
}
