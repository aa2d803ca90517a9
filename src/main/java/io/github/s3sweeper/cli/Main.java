package io.github.s3sweeper.cli;

import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.Catalog;
import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.config.Overrides;
import io.github.s3sweeper.config.Rule;
import io.github.s3sweeper.config.RunRequest;
import io.github.s3sweeper.config.Setting;
import io.github.s3sweeper.config.Settings;
import io.github.s3sweeper.config.SettingsParser;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.engine.Budget;
import io.github.s3sweeper.engine.RuleSweeper;
import io.github.s3sweeper.engine.SweepListener;
import io.github.s3sweeper.engine.SweepFailedException;
import io.github.s3sweeper.engine.Sweeper;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.report.Version;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code java -jar s3-sweeper.jar [flags]}: one sweep from the command line. Every setting has a flag, generated from
 * its declaration in {@link Catalog}, with its environment variable as the default, so the command line and Lambda
 * read the same names. The engine is called directly; the summary goes to stdout (an account for a person, or the
 * handler's JSON), everything else to stderr.
 */
public final class Main {

    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int BAD_SETTINGS = 2;
    /** The run went well but left work: stopped by --max-duration, or the cap left chosen entries. */
    public static final int WORK_LEFT = 3;

    static final String COMMAND = "java -jar s3-sweeper.jar";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, ProgressLine::stderrIsTerminal));
    }

    /** Runs once and returns the exit status, with no progress line; nothing here calls {@code System.exit}. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, false);
    }

    /** @param terminal stderr is a terminal: draw the live progress line there */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
        return run(args, env, out, err, () -> terminal);
    }

    /** @param terminal whether stderr is a terminal, asked only when a progress line could be drawn */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
                   BooleanSupplier terminal) {
        CommandLine commandLine = new CommandLine(spec());
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("s3-sweeper: " + e.getMessage());
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
                unmatched.getSuggestions().stream().limit(3).forEach(s -> err.println("  did you mean " + s + "?"));
                if (unmatched.getUnmatched().stream().anyMatch(arg -> !arg.startsWith("-"))) {
                    err.println("  each flag takes one value: quote a value with spaces, and no argument stands"
                            + " alone");
                }
            }
            err.println("Try '" + COMMAND + " --help' for the flags and their environment variables.");
            return BAD_SETTINGS;
        }
        if (parsed.isUsageHelpRequested()) {
            commandLine.usage(new PrintWriter(out, true, StandardCharsets.UTF_8));
            return OK;
        }
        if (parsed.isVersionHelpRequested()) {
            out.println("s3-sweeper " + Version.current());
            return OK;
        }
        Options options = Options.of(parsed);
        List<String> problems = new ArrayList<>(options.problems());
        Settings settings = null;
        RunRequest request = null;
        CommandLineSource source = new CommandLineSource(options.flags(), env);
        try {
            settings = SettingsParser.parse(source);
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
        }
        if (options.eventFile() != null) {
            try {
                request = RunRequest.parse(EventFile.read(options.eventFile()));
                if (request.chain() != null) {
                    // A chain's cutoff and totals mean something only to the function that continues itself.
                    problems.add("--event " + options.eventFile() + ": field \"chain\" is a Lambda chain's own"
                            + " state; allowed: the input without it (give its startAfter to go on where it stopped)");
                }
            } catch (InvalidSettingsException e) {
                problems.addAll(e.problems());
            } catch (EventFile.UnreadableException e) {
                problems.add("--event " + options.eventFile() + ": " + e.problem());
            }
        }
        SweepSettings sweep = null;
        List<Rule> rules = List.of();
        if (problems.isEmpty()) {
            try {
                sweep = request == null ? settings.sweep() : request.overrides().applyTo(settings.sweep());
                if (!settings.rules().isEmpty()) {
                    rules = request == null ? settings.rules()
                            : request.overrides().applyToRules(settings.rules(), false);
                }
            } catch (InvalidSettingsException e) {
                problems.addAll(e.problems());
            }
        }
        if (sweep != null && !rules.isEmpty() && sweep.startAfter() != null
                && Overrides.resumeRule(rules, sweep.startAfter()) == null) {
            problems.add(CommandLineSource.label(Catalog.START_AFTER) + "=" + shown(sweep.startAfter()) + ": under no"
                    + " rule's prefix; allowed: a key under one rule's prefix, as a previous run's resumeAfter gives");
        }
        source.profileProblem().ifPresent(problems::add);
        source.rulesFileProblem().ifPresent(problems::add);
        if (sweep != null && options.list() && !sweep.dryRun()) {
            problems.add("--list: lists what a dry run would delete; add --dry-run (-n)");
        }
        if (!problems.isEmpty()) {
            err.println("s3-sweeper: invalid settings, nothing was listed or deleted:");
            problems.forEach(problem -> err.println("  " + problem));
            err.println("Try '" + COMMAND + " --help' for the flags and their environment variables.");
            return BAD_SETTINGS;
        }
        return sweep(settings, sweep, rules, options, out, err, terminal);
    }

    /** @param rules with RULES, each rule's settings (the run sweeps them in turn); else empty */
    private static int sweep(Settings settings, SweepSettings sweep, List<Rule> rules, Options options,
                             PrintStream out, PrintStream err, BooleanSupplier terminal) {
        ConsoleListener listener = new ConsoleListener(out, err, options.list(), options.verbose(), sweep.dryRun());
        Budget budget = settings.maxDuration()
                .map(limit -> {
                    long deadline = System.nanoTime() + limit.toNanos();
                    return (Budget) () -> System.nanoTime() - deadline >= 0;
                })
                .orElse(Budget.UNLIMITED);
        SweepSummary summary;
        boolean failed = false;
        String cause = null;
        try (S3Client client = S3ClientFactory.create(settings.s3())) {
            Sweeper sweeper = rules.isEmpty() ? new Sweeper(client, Clock.systemUTC(), sweep, listener, budget) : null;
            RuleSweeper ruleSweeper = rules.isEmpty() ? null : new RuleSweeper(client, Clock.systemUTC(), rules,
                    sweep, new RuleSweeper.Listener() {
                        @Override
                        public SweepListener starting(Rule rule, SweepSettings settings) {
                            return listener;
                        }

                        @Override
                        public void ended(Rule rule, SweepSummary summary, boolean failed) {
                        }
                    }, budget);
            // No line while keys or per-entry lines stream to the same terminal: they would tear it.
            boolean progress = !options.quiet() && !options.verbose() && !options.list() && terminal.getAsBoolean();
            try (ProgressLine line = progress ? ProgressLine.start(sweeper != null ? sweeper::progress
                    : ruleSweeper::progress, err) : null) {
                if (line != null) {
                    listener.errorLinesTo(line::println);
                }
                if (sweeper != null) {
                    summary = sweeper.run();
                } else {
                    Rule first = Overrides.resumeRule(rules, sweep.startAfter());
                    summary = ruleSweeper.run(first == null ? null : first.name(), sweep.startAfter(), List.of());
                }
            } catch (SweepFailedException e) {
                summary = e.summary();
                failed = true;
                cause = e.getMessage();
            } finally {
                listener.errorLinesTo(err::println);
            }
        } catch (RuntimeException e) {
            err.println("FAILED: " + e.getMessage());
            return RUN_FAILED;
        }
        report(summary, options, out, err);
        if (failed) {
            // Last, where a person at a terminal looks: the cause in one line.
            err.println("FAILED: " + cause);
            return RUN_FAILED;
        }
        return !summary.complete() || summary.capped() ? WORK_LEFT : OK;
    }

    private static void report(SweepSummary summary, Options options, PrintStream out, PrintStream err) {
        if (options.json()) {
            out.println(summary.toJson());
        } else if (!options.quiet()) {
            // With --list stdout holds only keys, so the account goes beside the other messages.
            (options.list() ? err : out).println(summary.toAccount());
        }
    }

    /** The command: a flag per setting of the catalogue, then the command line's own. */
    static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name(COMMAND);
        spec.usageMessage()
                .headerHeading("")
                .header("Deletes what the retention rules say has expired under one S3 prefix, and reports exactly.")
                .synopsisHeading("%nUsage: ")
                .customSynopsis(COMMAND + " --bucket NAME --prefix PREFIX (--retention-days N | --older-than"
                        + " DURATION) [flags]")
                .optionListHeading("%nFlags (each setting's environment variable in brackets: a flag wins over its"
                        + " variable, which wins over the default):%n")
                .footerHeading("%n")
                .footer("Exit status: 0 done; 1 the run failed (keys not deleted, a listing error); 2 bad settings"
                                + " or flags, nothing was listed or deleted; 3 done, with work left (--max-duration"
                                + " stopped it: resume with --start-after; or --max-deletes capped it).",
                        "Credentials: --profile's, else the AWS SDK's default chain (the environment's keys,"
                                + " AWS_PROFILE's profile, SSO, instance roles). Region: --region, AWS_REGION,"
                                + " AWS_DEFAULT_REGION, then the profile's region.",
                        "Durations: 90m, 36h, 7d or ISO-8601 (PT36H); --max-duration and --progress-interval take"
                                + " seconds too (90s), an age never. Globs are relative to the prefix: * and ?"
                                + " stay within one / segment, ** crosses them (**/*.gz: any depth).",
                        "Examples:",
                        "  " + COMMAND + " --bucket my-backups --prefix logs/ --older-than 30d -n",
                        "  " + COMMAND + " --bucket my-backups --prefix logs/ --older-than 30d -n --list | wc -l",
                        "  " + COMMAND + " --bucket my-backups --prefix logs/ --older-than 30d --max-deletes 1000");
        spec.usageMessage().width(120).sortOptions(false).longOptionsMaxWidth(26);
        for (Setting<?> setting : Catalog.commandLine()) {
            spec.addOption(option(setting));
        }
        spec.addOption(OptionSpec.builder("-o", "--output").paramLabel("text|json").type(String.class)
                .description("text: the account for a person (default); json: the summary exactly as the Lambda"
                        + " handler returns it, on stdout, once").build());
        spec.addOption(OptionSpec.builder("--list").arity("0").type(boolean.class)
                .description("with --dry-run: the keys that would be deleted on stdout, one per line (a version's id"
                        + " after a tab); the account goes to stderr").build());
        spec.addOption(OptionSpec.builder("-q", "--quiet").arity("0").type(boolean.class)
                .description("no account and no progress line: failed keys and errors only").build());
        spec.addOption(OptionSpec.builder("-v", "--verbose").arity("0").type(boolean.class)
                .description("each deleted (or, on a dry run, each chosen) key on stderr").build());
        spec.addOption(OptionSpec.builder("--event").paramLabel("FILE").type(Path.class)
                .description("apply an invocation input from this JSON file (such as one in events/) as the handler"
                        + " does; its fields: " + Catalog.inputFields().stream()
                        .map(s -> s.name() + " (" + s.change().description() + ")")
                        .collect(java.util.stream.Collectors.joining(", "))).build());
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("print the version")
                .build());
        return spec;
    }

    private static OptionSpec option(Setting<?> setting) {
        List<String> names = new ArrayList<>();
        setting.shortFlag().ifPresent(names::add);
        names.add(setting.flag());
        OptionSpec.Builder option = OptionSpec.builder(names.toArray(String[]::new))
                .description(describe(setting))
                .paramLabel(setting.type().paramLabel());
        if (setting.type().isBoolean()) {
            // --dry-run alone is true; --dry-run=false is allowed too, and read like DRY_RUN=false.
            option.arity("0..1").fallbackValue("true").type(String.class);
        } else if (setting.type() == io.github.s3sweeper.config.ValueType.GLOBS) {
            // Repeatable, as rclone's --include: each occurrence adds patterns.
            option.arity("1").type(String[].class);
        } else {
            option.arity("1").type(String.class);
        }
        return option.build();
    }

    private static String describe(Setting<?> setting) {
        StringBuilder text = new StringBuilder(setting.description());
        setting.env().ifPresent(variable -> text.append(" [").append(variable)
                .append(setting.fallbackEnv().isEmpty() ? "" : ", " + String.join(", ", setting.fallbackEnv()))
                .append(']'));
        text.append(" (").append(setting.required() ? "required" : "default: " + setting.defaultText()).append(')');
        return text.toString();
    }

    /** A flag's value in a message: only when it is short and printable, so it cannot forge or drown lines. */
    static String shown(String value) {
        return value.length() <= 40 && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? "\"" + value + "\""
                : "(a value of " + value.length() + " characters)";
    }

    /** What the command line asked for, besides the settings. */
    record Options(Map<Setting<?>, String> flags, String output, boolean list, boolean quiet, boolean verbose,
                   Path eventFile, List<String> problems) {

        boolean json() {
            return "json".equals(output);
        }

        static Options of(ParseResult parsed) {
            Map<Setting<?>, String> flags = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            for (Setting<?> setting : Catalog.commandLine()) {
                if (parsed.hasMatchedOption(setting.flag())) {
                    Object value = parsed.matchedOptionValue(setting.flag(), null);
                    // Repeated globs join as one list: a comma separates patterns, as in INCLUDE.
                    String text = value instanceof String[] many ? String.join(",", many) : (String) value;
                    if (text.isEmpty() && setting.emptyIsUnset()) {
                        // Empty means "not set" only for the template's variables: a flag given empty (an unset
                        // shell variable, --max-deletes "$CAP") must not drop a limit without a word.
                        problems.add(CommandLineSource.label(setting) + "=\"\": empty; allowed: "
                                + setting.type().allowed() + " (leave the flag out for the default)");
                    } else {
                        flags.put(setting, text);
                    }
                }
            }
            String output = parsed.matchedOptionValue("--output", "text");
            if (!List.of("text", "json").contains(output)) {
                problems.add("--output=" + shown(output) + ": not an output format; allowed: text or json");
            }
            boolean list = parsed.matchedOptionValue("--list", false);
            boolean quiet = parsed.matchedOptionValue("--quiet", false);
            boolean verbose = parsed.matchedOptionValue("--verbose", false);
            if (quiet && verbose) {
                problems.add("--quiet and --verbose: both are set; allowed: at most one");
            }
            if (list && "json".equals(output)) {
                problems.add("--list and --output json: both write to stdout; allowed: one of them");
            }
            return new Options(flags, output, list, quiet, verbose, parsed.matchedOptionValue("--event", null),
                    problems);
        }
    }
}
