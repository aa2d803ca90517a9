package io.github.s3sweeper.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The execution role in template.yaml is least privilege (see {@link IamPolicyCheck} for what that means here),
 * and the check can fail: each violation is injected into a copy of the template's text, never the file, and the
 * check must name it.
 */
class TemplateIamTest {

    private static final String TEMPLATE = read();

    private static String read() {
        try {
            return Files.readString(Path.of("template.yaml"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theTemplateGrantsOnlyWhatAnEnabledFeatureNeeds() {
        assertThat(IamPolicyCheck.violations(TEMPLATE)).isEmpty();
    }

    @Test
    void theCheckSeesEveryStatementOfTheRoleUnderItsCondition() {
        // A check that parsed nothing would find nothing wrong: these are the statements it must have read.
        assertThat(IamPolicyCheck.statements(TEMPLATE)).extracting(s -> s.where() + " " + s.conditions() + " "
                + s.body().get("Action")).containsExactly(
                "write-logs statement 1 [] [logs:CreateLogStream, logs:PutLogEvents]",
                "sweep-prefix statement 1 [] s3:ListBucket",
                "sweep-prefix statement 2 [] s3:DeleteObject",
                "sweep-prefix statement 3 [] s3:GetBucketVersioning",
                "sweep-prefix statement 4 [SweepVersions] s3:ListBucketVersions",
                "sweep-prefix statement 5 [SweepVersions] s3:DeleteObjectVersion",
                "sweep-prefix statement 6 [AbortsUploads] s3:ListBucketMultipartUploads",
                "sweep-prefix statement 7 [AbortsUploads] s3:AbortMultipartUpload",
                "sweep-prefix statement 8 [BypassGovernanceRetention] s3:BypassGovernanceRetention",
                "keep-failed-runs statement 1 [] sqs:SendMessage",
                "continue-itself statement 1 [Chains] lambda:InvokeFunction",
                "write-traces statement 1 [TracingActive] [xray:PutTraceSegments, xray:PutTelemetryRecords]");
    }

    /** A violation: the text replaced in a copy of the template, by what, and what the check must then report. */
    record Injection(String name, String original, String replacement, String reported) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** These lines, each indented by {@code indent} spaces as template.yaml indents them. */
    private static String at(int indent, String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(" ".repeat(indent)).append(line).append('\n');
        }
        return text.toString();
    }

    private static final String OBJECTS_SUB = "!Sub arn:${AWS::Partition}:s3:::${BucketName}/${Prefix}*";
    private static final String BUCKET_SUB = "!Sub arn:${AWS::Partition}:s3:::${BucketName}";
    private static final String DELETE_OBJECT = at(16, "Action: s3:DeleteObject", "Resource: " + OBJECTS_SUB);
    private static final String LIST_BUCKET = at(16, "Action: s3:ListBucket", "Resource: " + BUCKET_SUB,
            "Condition: !If") + at(18, "- WholeBucket", "- !Ref AWS::NoValue", "- StringLike:")
            + at(22, "s3:prefix: !Sub ${Prefix}*");
    private static final String GET_VERSIONING = at(16, "Action: s3:GetBucketVersioning", "Resource: " + BUCKET_SUB);
    private static final String LIST_VERSIONS = at(16, "- SweepVersions", "- Effect: Allow")
            + at(18, "Action: s3:ListBucketVersions", "Resource: " + BUCKET_SUB, "Condition: !If")
            + at(20, "- WholeBucket");
    private static final String DELETE_VERSION = at(16, "- SweepVersions", "- Effect: Allow")
            + at(18, "Action: s3:DeleteObjectVersion", "Resource: " + OBJECTS_SUB);
    private static final String LIST_UPLOADS = at(16, "- AbortsUploads", "- Effect: Allow")
            + at(18, "Action: s3:ListBucketMultipartUploads", "Resource: " + BUCKET_SUB);
    private static final String ABORT_UPLOADS = at(16, "- AbortsUploads", "- Effect: Allow")
            + at(18, "Action: s3:AbortMultipartUpload", "Resource: " + OBJECTS_SUB);
    private static final String BYPASS = at(16, "- BypassGovernanceRetention", "- Effect: Allow")
            + at(18, "Action: s3:BypassGovernanceRetention", "Resource: " + OBJECTS_SUB);
    private static final String LOGS = at(18, "- logs:PutLogEvents") + at(16, "Resource: !GetAtt SweeperLogGroup.Arn");
    private static final String SQS = at(14, "- Effect: Allow") + at(16, "Action: sqs:SendMessage",
            "Resource: !GetAtt SweeperFailureQueue.Arn");
    private static final String TRACES = at(10, "- TracingActive", "- PolicyName: write-traces");
    private static final String WHERE_DELETE = "sweep-prefix statement 2";
    private static final String WHERE_LIST = "sweep-prefix statement 1";

    static Stream<Injection> injections() {
        return Stream.of(
                // S3 actions on "*".
                new Injection("s3:DeleteObject on \"*\"", DELETE_OBJECT, DELETE_OBJECT.replace(
                        "!Sub arn:${AWS::Partition}:s3:::${BucketName}/${Prefix}*", "\"*\""),
                        WHERE_DELETE + " grants s3:DeleteObject on *: an S3 action on *"),
                new Injection("s3:ListBucket on arn:aws:s3:::*", LIST_BUCKET, LIST_BUCKET.replace(
                        "!Sub arn:${AWS::Partition}:s3:::${BucketName}", "arn:aws:s3:::*"),
                        WHERE_LIST + " grants s3:ListBucket on arn:aws:s3:::*: an S3 action on *"),
                new Injection("s3:GetBucketVersioning on every bucket of the partition", GET_VERSIONING,
                        GET_VERSIONING.replace("${BucketName}", "*"), "sweep-prefix statement 3 grants"
                        + " s3:GetBucketVersioning on arn:${AWS::Partition}:s3:::*: an S3 action on *"),
                new Injection("s3:DeleteObject on buckets whose name starts with the bucket's", DELETE_OBJECT,
                        DELETE_OBJECT.replace("${BucketName}/", "${BucketName}*/"), WHERE_DELETE + " grants"
                        + " s3:DeleteObject on arn:${AWS::Partition}:s3:::${BucketName}*/${Prefix}*: an S3 action on *"),
                // Deletions outside BucketName/Prefix*.
                new Injection("s3:DeleteObject on the whole bucket", DELETE_OBJECT, DELETE_OBJECT.replace(
                        "${Prefix}*", "*"), WHERE_DELETE + " grants s3:DeleteObject on"
                        + " arn:${AWS::Partition}:s3:::${BucketName}/*; allowed only on " + IamPolicyCheck.OBJECTS),
                new Injection("s3:DeleteObject on a second resource", DELETE_OBJECT, at(16, "Action: s3:DeleteObject",
                        "Resource:") + at(18, "- " + OBJECTS_SUB, "- arn:aws:s3:::other-bucket/backups/*"),
                        WHERE_DELETE + " grants s3:DeleteObject on arn:aws:s3:::other-bucket/backups/*; allowed only"
                                + " on " + IamPolicyCheck.OBJECTS),
                new Injection("s3:DeleteObjectVersion on another bucket", DELETE_VERSION, DELETE_VERSION.replace(
                        "${BucketName}/", "other-bucket/"), "grants s3:DeleteObjectVersion on"
                        + " arn:${AWS::Partition}:s3:::other-bucket/${Prefix}*; allowed only on " + IamPolicyCheck.OBJECTS),
                new Injection("s3:BypassGovernanceRetention on the bucket itself", BYPASS, BYPASS.replace(
                        "/${Prefix}*", ""), "grants s3:BypassGovernanceRetention on"
                        + " arn:${AWS::Partition}:s3:::${BucketName}; allowed only on " + IamPolicyCheck.OBJECTS),
                new Injection("s3:AbortMultipartUpload on the whole bucket", ABORT_UPLOADS, ABORT_UPLOADS.replace(
                        "${Prefix}*", "*"), "grants s3:AbortMultipartUpload on"
                        + " arn:${AWS::Partition}:s3:::${BucketName}/*; allowed only on " + IamPolicyCheck.OBJECTS),
                new Injection("s3:ListBucketMultipartUploads on every bucket", LIST_UPLOADS, LIST_UPLOADS.replace(
                        "${BucketName}", "*"), "grants s3:ListBucketMultipartUploads on"
                        + " arn:${AWS::Partition}:s3:::*: an S3 action on *"),
                new Injection("the multipart permissions without AbortIncompleteUploadsAfter", ABORT_UPLOADS,
                        ABORT_UPLOADS.replace("- AbortsUploads", "- SweepVersions"), "sweep-prefix statement 7 (under"
                        + " SweepVersions) grants s3:AbortMultipartUpload outside the condition AbortsUploads"),
                new Injection("s3:ListBucketMultipartUploads always", at(14, "- !If") + LIST_UPLOADS
                        + at(16, "- !Ref AWS::NoValue"), at(14, "- Effect: Allow")
                        + at(16, "Action: s3:ListBucketMultipartUploads", "Resource: " + BUCKET_SUB),
                        "grants s3:ListBucketMultipartUploads outside the condition AbortsUploads"),
                new Injection("a !Sub whose variables redefine Prefix", DELETE_OBJECT, DELETE_OBJECT.replace(
                        "!Sub arn:${AWS::Partition}:s3:::${BucketName}/${Prefix}*",
                        "!Sub [\"arn:${AWS::Partition}:s3:::${BucketName}/${Prefix}*\", {Prefix: \"\"}]"),
                        WHERE_DELETE + " has the Resource !Sub [arn:${AWS::Partition}:s3:::${BucketName}/${Prefix}*,"
                                + " {Prefix=}], which this check cannot read"),
                // Listing without the s3:prefix condition.
                new Injection("s3:ListBucket without its condition", LIST_BUCKET, LIST_BUCKET.substring(0,
                        LIST_BUCKET.indexOf("                Condition:")), WHERE_LIST + " grants s3:ListBucket without"
                        + " the s3:prefix condition StringLike ${Prefix}* (left out only under WholeBucket): its"
                        + " Condition is null"),
                new Injection("s3:ListBucket with s3:prefix like *", LIST_BUCKET, LIST_BUCKET.replace(
                        "!Sub ${Prefix}*", "\"*\""), WHERE_LIST + " grants s3:ListBucket without the s3:prefix"
                        + " condition"),
                new Injection("s3:ListBucketVersions without the condition under another feature", LIST_VERSIONS,
                        LIST_VERSIONS.replace("- WholeBucket", "- TracingActive"), "grants s3:ListBucketVersions"
                        + " without the s3:prefix condition"),
                // Actions no enabled feature needs.
                new Injection("s3:GetObject", DELETE_OBJECT, DELETE_OBJECT.replace("Action: s3:DeleteObject",
                        "Action: [s3:DeleteObject, s3:GetObject]"), WHERE_DELETE + " grants s3:GetObject, which no"
                        + " feature needs"),
                new Injection("s3:*", GET_VERSIONING, GET_VERSIONING.replace("s3:GetBucketVersioning", "s3:*"),
                        "sweep-prefix statement 3 grants s3:*, which no feature needs"),
                new Injection("logs:CreateLogGroup", LOGS, at(18, "- logs:PutLogEvents", "- logs:CreateLogGroup")
                        + at(16, "Resource: !GetAtt SweeperLogGroup.Arn"), "write-logs statement 1 grants"
                        + " logs:CreateLogGroup, which no feature needs"),
                new Injection("s3:DeleteObjectVersion without NoncurrentDays", DELETE_VERSION, DELETE_VERSION.replace(
                        "- SweepVersions", "- WholeBucket"), "sweep-prefix statement 5 (under WholeBucket) grants"
                        + " s3:DeleteObjectVersion outside the condition SweepVersions: only that feature needs it"),
                new Injection("s3:BypassGovernanceRetention with versions but without BypassGovernance", BYPASS,
                        BYPASS.replace("- BypassGovernanceRetention", "- SweepVersions"), "grants"
                        + " s3:BypassGovernanceRetention outside the condition BypassGovernanceRetention"),
                new Injection("X-Ray without Tracing=Active", TRACES, TRACES.replace("TracingActive", "NamedSweep"),
                        "write-traces statement 1 (under NamedSweep) grants xray:PutTraceSegments outside the"
                        + " condition TracingActive"),
                new Injection("a condition that does not mean what it says", "TracingActive: !Equals [!Ref Tracing,"
                        + " Active]", "TracingActive: !Not [!Equals [!Ref Tracing, Active]]", "Conditions.TracingActive"
                        + " is !Not [!Equals [!Ref Tracing, Active]], not !Equals [!Ref Tracing, Active]"),
                // "*" on anything but X-Ray.
                new Injection("the logs on \"*\"", LOGS, LOGS.replace("!GetAtt SweeperLogGroup.Arn", "\"*\""),
                        "write-logs statement 1 grants logs:PutLogEvents on *; allowed only on !GetAtt"
                                + " SweeperLogGroup.Arn"),
                new Injection("sqs:SendMessage on \"*\"", SQS, SQS.replace("!GetAtt SweeperFailureQueue.Arn", "\"*\""),
                        "keep-failed-runs statement 1 grants sqs:SendMessage on *; allowed only on !GetAtt"
                                + " SweeperFailureQueue.Arn"),
                // Effect and the Not- forms.
                new Injection("Effect: Deny", SQS, SQS.replace("- Effect: Allow", "- Effect: Deny"),
                        "has Effect Deny: every statement here is Allow"),
                new Injection("NotAction", GET_VERSIONING, GET_VERSIONING.replace("Action:", "NotAction:"),
                        "sweep-prefix statement 3 uses NotAction: it grants everything it does not name"),
                new Injection("NotResource", GET_VERSIONING, GET_VERSIONING.replace("Resource:", "NotResource:"),
                        "sweep-prefix statement 3 uses NotResource: it grants everything it does not name"),
                // Grants outside the role's inline policies.
                new Injection("a managed policy on the role", "      Policies:\n        - PolicyName: write-logs\n",
                        "      ManagedPolicyArns:\n        - arn:aws:iam::aws:policy/AmazonS3FullAccess\n"
                                + "      Policies:\n        - PolicyName: write-logs\n", "SweeperRole has"
                        + " ManagedPolicyArns [arn:aws:iam::aws:policy/AmazonS3FullAccess]"),
                new Injection("another IAM resource", "  SweeperFunction:\n    Type: AWS::Serverless::Function\n",
                        at(2, "ExtraPolicy:") + at(4, "Type: AWS::IAM::Policy", "Properties:")
                                + at(6, "PolicyName: extra", "Roles: [!Ref SweeperRole]",
                                "PolicyDocument: {Statement: [{Effect: Allow, Action: \"s3:*\", Resource: \"*\"}]}")
                                + "\n  SweeperFunction:\n    Type: AWS::Serverless::Function\n",
                        "ExtraPolicy is another IAM resource (AWS::IAM::Policy)"),
                new Injection("SAM policies on the function", "      Role: !GetAtt SweeperRole.Arn\n",
                        "      Policies: [AmazonS3FullAccess]\n", "SweeperFunction has SAM Policies"),
                new Injection("the role trusted by anyone", "              Service: lambda.amazonaws.com\n",
                        "              AWS: \"*\"\n", "SweeperRole trusts {Effect=Allow, Principal={AWS=*},"
                        + " Action=sts:AssumeRole}: only lambda.amazonaws.com may assume it"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("injections")
    void theCheckReportsAnInjectedViolation(Injection injection) {
        assertThat(TEMPLATE.split(java.util.regex.Pattern.quote(injection.original()), -1))
                .as("the text to replace occurs once in template.yaml").hasSize(2);
        String broken = TEMPLATE.replace(injection.original(), injection.replacement());
        assertThat(broken).isNotEqualTo(TEMPLATE);

        assertThat(IamPolicyCheck.violations(broken)).anySatisfy(violation -> assertThat(violation)
                .contains(injection.reported()));
    }

    @Test
    void aDuplicatedKeyCannotHideAGrant() {
        // YAML readers keep one of two equal keys; CloudFormation refuses the template. So does the check.
        String broken = TEMPLATE.replace(DELETE_OBJECT, DELETE_OBJECT + "                Resource: \"*\"\n");

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> IamPolicyCheck.violations(broken)))
                .hasMessageContaining("found duplicate key Resource");
    }

    @Test
    void theShortAndLongFormsOfTheFunctionsReadAlike() {
        Map<?, ?> shortForm = IamPolicyCheck.parse("a: !If [C, !Ref X, !GetAtt [R, Arn]]\n");
        Map<?, ?> longForm = IamPolicyCheck.parse("a: {\"Fn::If\": [C, {Ref: X}, {\"Fn::GetAtt\": [R, Arn]}]}\n");

        IamPolicyCheck.Fn expected = new IamPolicyCheck.Fn("If", List.of("C", new IamPolicyCheck.Fn("Ref", "X"),
                new IamPolicyCheck.Fn("GetAtt", "R.Arn")));
        assertThat(shortForm.get("a")).isEqualTo(expected);
        assertThat(IamPolicyCheck.normalDeep(longForm.get("a"))).isEqualTo(expected);
    }
}
