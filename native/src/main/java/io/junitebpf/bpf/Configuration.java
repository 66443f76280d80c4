package io.junitebpf.bpf;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of junit-ebpf's configuration keys: how a key maps to its environment variable,
 * and how booleans, numbers, durations and enum choices are written. It lives here, at the bottom,
 * so that native's own keys ({@link Libbpf#LIBRARY_PATH_PROPERTY}, {@link Libbpf#DEBUG_LOG_PROPERTY})
 * are read like the extension's; the extension's {@code EbpfConfig} reads through it, adding JUnit's
 * configuration parameters as the first source.
 *
 * <p>A key {@code junit.ebpf.x.y-z} is read from the first source (system properties, or JUnit's
 * parameters in the extension), then from the environment variable
 * {@link #environmentName(String) JUNIT_EBPF_X_Y_Z}; a blank value counts as unset. Durations are a
 * number with a unit — {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} — or an ISO-8601 duration
 * ({@code PT10M}); a bare number means seconds. A bad value throws {@link ConfigurationException}
 * naming the key (or the variable) and the value.
 */
public final class Configuration {

    /** Every key starts with this. */
    public static final String PREFIX = "junit.ebpf.";

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private final UnaryOperator<String> first;
    private final UnaryOperator<String> environment;

    private Configuration(UnaryOperator<String> first, UnaryOperator<String> environment) {
        this.first = Objects.requireNonNull(first, "first");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * A reader of {@code first} (by key), then {@code environment} (by {@link #environmentName});
     * both return null for a missing entry.
     */
    public static Configuration of(UnaryOperator<String> first, UnaryOperator<String> environment) {
        return new Configuration(first, environment);
    }

    /** A reader of this JVM's system properties, then its environment. */
    public static Configuration system() {
        return of(System::getProperty, System::getenv);
    }

    /** The environment variable that stands for {@code key}: junit.ebpf.container.java-home → JUNIT_EBPF_CONTAINER_JAVA_HOME. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value of {@code key}, stripped; empty when unset or blank. */
    public Optional<String> string(String key) {
        return Optional.ofNullable(first.apply(key)).map(String::strip).filter(v -> !v.isEmpty())
                .or(() -> Optional.ofNullable(environment.apply(environmentName(key))).map(String::strip)
                        .filter(v -> !v.isEmpty()));
    }

    /** true/yes/on/1 or false/no/off/0. */
    public boolean bool(String key, boolean fallback) {
        return string(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad(key, v, "true or false");
        }).orElse(fallback);
    }

    /** A positive int. */
    public int positiveInt(String key, int fallback) {
        return string(key).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw bad(key, v, "a positive integer");
        }).orElse(fallback);
    }

    /** A positive duration: 500ms, 5s, 2m, 1h, a bare number of seconds, or ISO-8601 (PT10M). */
    public Duration duration(String key, Duration fallback) {
        return string(key).map(v -> {
            Duration parsed = parseDuration(v);
            if (parsed == null || parsed.isZero() || parsed.isNegative()) {
                throw bad(key, v, "a positive duration such as 500ms, 30s, 10m or PT10M; a bare number is seconds");
            }
            return parsed;
        }).orElse(fallback);
    }

    /** An enum constant by its name in lower case with '-' for '_' ("in-process" → IN_PROCESS). */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        return string(key).map(v -> {
            String wanted = v.replace('-', '_').toUpperCase(Locale.ROOT);
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(wanted)) {
                    return e;
                }
            }
            throw bad(key, v, "one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                    .map(Configuration::value).toList()));
        }).orElse(fallback);
    }

    /** How an enum constant is written in configuration: IN_PROCESS → "in-process". */
    public static String value(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A failure naming where the bad value came from (the key, or the variable standing for it) and the value. */
    public ConfigurationException bad(String key, String value, String expected) {
        String fromFirst = first.apply(key);
        String source = fromFirst != null && !fromFirst.isBlank() ? key : environmentName(key) + " (" + key + ")";
        return new ConfigurationException(key, "junit-ebpf configuration: " + source + "='" + value
                + "' is invalid (expected " + expected + ")");
    }

    private static Duration parseDuration(String text) {
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = WITH_UNIT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
