package io.github.s3sweeper.cli;

import io.github.s3sweeper.config.Catalog;
import io.github.s3sweeper.config.Setting;
import io.github.s3sweeper.config.SettingsParser;
import software.amazon.awssdk.profiles.ProfileFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The command line's settings: a flag wins over its environment variable, which wins over the default; the Region,
 * when neither gives it, comes from the profile in the shared config file, as the AWS CLI finds it
 * ({@code --region}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, then the profile's {@code region}). Messages
 * name both the flag and the variable, whichever gave the value.
 */
final class CommandLineSource implements SettingsParser.Source {

    private final Map<Setting<?>, String> flags;
    private final SettingsParser.Source environment;
    private final Map<String, String> env;
    static final String FILE = "file:";
    private String rulesFileProblem;

    CommandLineSource(Map<Setting<?>, String> flags, Map<String, String> env) {
        this.flags = Map.copyOf(flags);
        this.env = env;
        this.environment = SettingsParser.environment(env);
    }

    static String label(Setting<?> setting) {
        if (!setting.onCommandLine()) {
            return setting.label();
        }
        return setting.flag() + setting.env().map(variable -> "/" + variable).orElse("");
    }

    @Override
    public SettingsParser.Raw get(Setting<?> setting) {
        SettingsParser.Raw raw = given(setting);
        if (setting == Catalog.RULES && raw.value() != null && raw.value().startsWith(FILE)) {
            return rulesFile(raw);
        }
        return raw;
    }

    /** {@code file:PATH}: the rules' JSON read from a file, on the command line only (Lambda has no such file). */
    private SettingsParser.Raw rulesFile(SettingsParser.Raw raw) {
        Path path = Path.of(raw.value().substring(FILE.length()));
        String label = raw.label() + " (" + raw.value() + ")";
        try {
            return new SettingsParser.Raw(label, Files.readString(path, java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException | RuntimeException e) {
            rulesFileProblem = raw.label() + "=" + Main.shown(raw.value()) + ": cannot read the file (" + e
                    .getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); allowed: the rules' JSON, or file: and the path of a readable UTF-8 file holding it";
            return new SettingsParser.Raw(label, null);
        }
    }

    /** A {@code file:} reference to rules that could not be read: the run must not go on without them. */
    Optional<String> rulesFileProblem() {
        return Optional.ofNullable(rulesFileProblem);
    }

    private SettingsParser.Raw given(Setting<?> setting) {
        if (flags.containsKey(setting)) {
            return new SettingsParser.Raw(label(setting), flags.get(setting));
        }
        // The two ages are one choice: a flag for either replaces both variables, so --older-than wins over an
        // exported RETENTION_DAYS as a flag wins over its own variable.
        if ((setting == Catalog.RETENTION_DAYS || setting == Catalog.OLDER_THAN)
                && (flags.containsKey(Catalog.RETENTION_DAYS) || flags.containsKey(Catalog.OLDER_THAN))) {
            return new SettingsParser.Raw(label(setting), null);
        }
        String value = environment.get(setting).value();
        if (value == null && setting == Catalog.REGION) {
            value = profileRegion().orElse(null);
        }
        return new SettingsParser.Raw(label(setting), value);
    }

    /** The profile that the flag, AWS_PROFILE or "default" names, as the AWS CLI picks it. */
    String profile() {
        String named = flags.containsKey(Catalog.PROFILE) ? flags.get(Catalog.PROFILE) : env.get("AWS_PROFILE");
        return named == null || named.isEmpty() ? "default" : named;
    }

    /** The profile's region in the config file ({@code AWS_CONFIG_FILE}, else {@code ~/.aws/config}), if any. */
    Optional<String> profileRegion() {
        return read(file("AWS_CONFIG_FILE", "config"), ProfileFile.Type.CONFIGURATION)
                .flatMap(file -> file.profile(profile())).flatMap(p -> p.property("region"))
                .filter(region -> !region.isBlank());
    }

    /** A --profile that neither shared file holds: named now, rather than as missing credentials after a request. */
    Optional<String> profileProblem() {
        if (!flags.containsKey(Catalog.PROFILE) || flags.get(Catalog.PROFILE).isEmpty()) {
            return Optional.empty();
        }
        String name = flags.get(Catalog.PROFILE);
        Path config = file("AWS_CONFIG_FILE", "config");
        Path credentials = file("AWS_SHARED_CREDENTIALS_FILE", "credentials");
        boolean found = read(config, ProfileFile.Type.CONFIGURATION).flatMap(f -> f.profile(name)).isPresent()
                || read(credentials, ProfileFile.Type.CREDENTIALS).flatMap(f -> f.profile(name)).isPresent();
        return found ? Optional.empty() : Optional.of(label(Catalog.PROFILE) + "=" + Main.shown(name) + ": no such"
                + " profile in " + config + " or " + credentials + "; allowed: a profile of those files");
    }

    private Path file(String variable, String name) {
        String file = env.get(variable);
        return file != null && !file.isEmpty() ? Path.of(file)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".aws", name);
    }

    private static Optional<ProfileFile> read(Path path, ProfileFile.Type type) {
        if (!Files.isReadable(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProfileFile.builder().content(path).type(type).build());
        } catch (RuntimeException e) {
            // A file the SDK cannot read holds no profile here; the messages then ask for what is missing.
            return Optional.empty();
        }
    }
}
