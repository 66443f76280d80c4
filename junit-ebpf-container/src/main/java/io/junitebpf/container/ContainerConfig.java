package io.junitebpf.container;

import io.junitebpf.junit.EbpfConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The container runtime's configuration, read once per test class through {@link EbpfConfig} (JUnit configuration
 * parameter or system property, then the environment variable {@code JUNIT_EBPF_CONTAINER_...}, then default).
 * Which runtime runs a test at all is {@value EbpfConfig#RUNTIME_PROPERTY_NAME}, the extension's key.
 *
 * @param image         the runtime image; empty means "build the packaged Dockerfile"
 * @param privileges    the privilege profile
 * @param javaHome      the JDK bind-mounted into the container and used there (the test JVM's by default)
 * @param testTimeout   how long one test may run in the container before the host gives up on it
 * @param engineTimeout how long to wait for Testcontainers to connect to the Docker engine
 */
public record ContainerConfig(Optional<String> image, PrivilegeProfile privileges, Path javaHome,
                              Duration testTimeout, Duration engineTimeout) {

    /** An image name (e.g. junit-ebpf-runtime:bookworm from scripts/build-runtime-image); unset builds the Dockerfile. */
    public static final String IMAGE_PROPERTY_NAME = "junit.ebpf.container.image";
    /** auto | privileged | capabilities ({@link PrivilegeProfile}). */
    public static final String PRIVILEGES_PROPERTY_NAME = "junit.ebpf.container.privileges";
    /** A JDK 25+ directory to bind-mount and run in the container; default: the test JVM's java.home. */
    public static final String JAVA_HOME_PROPERTY_NAME = "junit.ebpf.container.java-home";
    /** A duration (10m, 600s, PT10M; a bare number is seconds); default 10 minutes. */
    public static final String TEST_TIMEOUT_PROPERTY_NAME = "junit.ebpf.container.test-timeout";
    /** A duration (30s; a bare number is seconds) to wait for Testcontainers to connect; default 30 seconds. */
    public static final String ENGINE_TIMEOUT_PROPERTY_NAME = "junit.ebpf.container.engine-timeout";

    private static final Duration DEFAULT_TEST_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration DEFAULT_ENGINE_TIMEOUT = Duration.ofSeconds(30);

    public ContainerConfig {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(privileges, "privileges");
        Objects.requireNonNull(javaHome, "javaHome");
        Objects.requireNonNull(testTimeout, "testTimeout");
        Objects.requireNonNull(engineTimeout, "engineTimeout");
    }

    /** The configuration {@code config} holds; a bad value names key and value. */
    public static ContainerConfig from(EbpfConfig config) {
        return new ContainerConfig(
                config.string(IMAGE_PROPERTY_NAME),
                config.choice(PRIVILEGES_PROPERTY_NAME, PrivilegeProfile.class, PrivilegeProfile.AUTO),
                config.string(JAVA_HOME_PROPERTY_NAME).map(Path::of).orElseGet(() -> Path.of(System.getProperty("java.home"))),
                config.duration(TEST_TIMEOUT_PROPERTY_NAME, DEFAULT_TEST_TIMEOUT),
                config.duration(ENGINE_TIMEOUT_PROPERTY_NAME, DEFAULT_ENGINE_TIMEOUT));
    }

    /** This configuration with {@code image} (tests pick the image the build script made). */
    ContainerConfig withImage(String image) {
        return new ContainerConfig(Optional.of(image), privileges, javaHome, testTimeout, engineTimeout);
    }
}
