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

    CommandLineSource(Map<Setting<?>, String> flags, Map<String, String> env) {
        this.flags = Map.copyOf(flags);
        this.env = env;
        this.environment = SettingsParser.environment(env);
    }

    static String label(Setting<?> setting) {
        return setting.flag() + setting.env().map(variable -> "/" + variable).orElse("");
    }

    @Override
    public SettingsParser.Raw get(Setting<?> setting) {
        if (flags.containsKey(setting)) {
            return new SettingsParser.Raw(label(setting), flags.get(setting));
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
        String file = env.get("AWS_CONFIG_FILE");
        Path config = file != null && !file.isEmpty() ? Path.of(file)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".aws", "config");
        if (!Files.isReadable(config)) {
            return Optional.empty();
        }
        try {
            return ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build()
                    .profile(profile()).flatMap(p -> p.property("region")).filter(region -> !region.isBlank());
        } catch (RuntimeException e) {
            // A config file the SDK cannot read gives no Region here; the message then asks for one.
            return Optional.empty();
        }
    }
}
