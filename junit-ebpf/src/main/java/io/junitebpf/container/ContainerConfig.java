package io.junitebpf.container;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The container runtime's configuration, resolved once: annotation (via {@link #withRuntime}) beats
 * system property beats environment variable beats default. Every key {@code junit.ebpf.x.y} is also
 * read from the environment variable {@code JUNIT_EBPF_X_Y}; a bad value names key and value.
 *
 * @param runtime      where the eBPF work runs
 * @param image        the runtime image; empty means "build the packaged Dockerfile"
 * @param privileges   the privilege profile
 * @param javaHome     the JDK bind-mounted into the container and used there (the test JVM's by default)
 * @param testTimeout  how long one test may run in the container before the host gives up on it
 */
public record ContainerConfig(RuntimeMode runtime, Optional<String> image, PrivilegeProfile privileges,
                              Path javaHome, Duration testTimeout) {

    /** auto | in-process | container | never-container. */
    public static final String RUNTIME_PROPERTY_NAME = "junit.ebpf.runtime";
    /** An image name (e.g. junit-ebpf-runtime:bookworm from scripts/build-runtime-image); unset builds the Dockerfile. */
    public static final String IMAGE_PROPERTY_NAME = "junit.ebpf.container.image";
    /** auto | privileged | capabilities. */
    public static final String PRIVILEGES_PROPERTY_NAME = "junit.ebpf.container.privileges";
    /** A JDK 25+ directory to bind-mount and run in the container; default: the test JVM's java.home. */
    public static final String JAVA_HOME_PROPERTY_NAME = "junit.ebpf.container.java-home";
    /** ISO-8601 duration (PT10M) or seconds; default 10 minutes. */
    public static final String TEST_TIMEOUT_PROPERTY_NAME = "junit.ebpf.container.test-timeout";

    private static final Duration DEFAULT_TEST_TIMEOUT = Duration.ofMinutes(10);

    public ContainerConfig {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(privileges, "privileges");
        Objects.requireNonNull(javaHome, "javaHome");
        Objects.requireNonNull(testTimeout, "testTimeout");
    }

    /** The configuration from this JVM's system properties and environment. */
    public static ContainerConfig fromSystem() {
        return resolve(System::getProperty, System::getenv);
    }

    /**
     * The configuration from {@code properties} (keys as above) and {@code environment} (names as above).
     * Both return null for a missing entry.
     */
    public static ContainerConfig resolve(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        Lookup lookup = new Lookup(properties, environment);
        return new ContainerConfig(
                lookup.get(RUNTIME_PROPERTY_NAME).map(v -> RuntimeMode.parse(lookup.source(RUNTIME_PROPERTY_NAME), v))
                        .orElse(RuntimeMode.AUTO),
                lookup.get(IMAGE_PROPERTY_NAME),
                lookup.get(PRIVILEGES_PROPERTY_NAME)
                        .map(v -> PrivilegeProfile.parse(lookup.source(PRIVILEGES_PROPERTY_NAME), v))
                        .orElse(PrivilegeProfile.AUTO),
                lookup.get(JAVA_HOME_PROPERTY_NAME).map(Path::of)
                        .orElseGet(() -> Path.of(Objects.requireNonNullElse(properties.apply("java.home"),
                                System.getProperty("java.home")))),
                lookup.get(TEST_TIMEOUT_PROPERTY_NAME)
                        .map(v -> parseDuration(lookup.source(TEST_TIMEOUT_PROPERTY_NAME), v))
                        .orElse(DEFAULT_TEST_TIMEOUT));
    }

    /** The environment variable that stands for {@code key}: junit.ebpf.container.image → JUNIT_EBPF_CONTAINER_IMAGE. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** This configuration with {@code runtime} (an annotation attribute beats properties). */
    public ContainerConfig withRuntime(RuntimeMode runtime) {
        return new ContainerConfig(runtime, image, privileges, javaHome, testTimeout);
    }

    /** This configuration with {@code image}. */
    public ContainerConfig withImage(String image) {
        return new ContainerConfig(runtime, Optional.of(image), privileges, javaHome, testTimeout);
    }

    /** This configuration with {@code privileges}. */
    public ContainerConfig withPrivileges(PrivilegeProfile privileges) {
        return new ContainerConfig(runtime, image, privileges, javaHome, testTimeout);
    }

    /** This configuration with {@code testTimeout}. */
    public ContainerConfig withTestTimeout(Duration testTimeout) {
        if (testTimeout.isNegative() || testTimeout.isZero()) {
            throw new IllegalArgumentException(TEST_TIMEOUT_PROPERTY_NAME + ": must be positive, got " + testTimeout);
        }
        return new ContainerConfig(runtime, image, privileges, javaHome, testTimeout);
    }

    private static Duration parseDuration(String key, String text) {
        String value = text.strip();
        try {
            Duration parsed = value.chars().allMatch(Character::isDigit) && !value.isEmpty()
                    ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.parse(value);
            if (!parsed.isNegative() && !parsed.isZero()) {
                return parsed;
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below with the key
        }
        throw new IllegalArgumentException(key + ": invalid value '" + text
                + "' (expected a positive number of seconds or an ISO-8601 duration such as PT10M)");
    }

    /** Property first, then environment; blank counts as unset. Remembers where a value came from for errors. */
    private record Lookup(UnaryOperator<String> properties, UnaryOperator<String> environment) {

        Optional<String> get(String key) {
            return Optional.ofNullable(properties.apply(key)).filter(v -> !v.isBlank())
                    .or(() -> Optional.ofNullable(environment.apply(environmentName(key))).filter(v -> !v.isBlank()));
        }

        String source(String key) {
            String property = properties.apply(key);
            return property != null && !property.isBlank() ? key : environmentName(key) + " (" + key + ")";
        }
    }
}
