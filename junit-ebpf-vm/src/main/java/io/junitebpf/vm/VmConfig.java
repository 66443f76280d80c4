package io.junitebpf.vm;

import io.junitebpf.junit.EbpfConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The VM runtime's configuration, read with {@link EbpfConfig} (JUnit configuration parameter or {@code -D}, then
 * the environment variable, e.g. {@code JUNIT_EBPF_VM_ACCEL}).
 *
 * @param kernel         what to boot
 * @param accel          the QEMU accelerator request
 * @param memory         guest memory, in QEMU's notation (2G)
 * @param cpus           guest vCPUs
 * @param cache          where kernels, prepared guests, the bundled scripts and the exchange directories live
 * @param javaHome       the JDK the guest runs the tests with (the host's, seen over the 9p root)
 * @param prepareTimeout how long fetching and preparing a kernel may take
 * @param bootTimeout    how long a guest may take from QEMU's start to a JVM ready for tests
 * @param testTimeout    how long one test may take in the guest before the guest is stopped
 */
public record VmConfig(Kernel kernel, Accel accel, String memory, int cpus, Path cache, Path javaHome,
                       Duration prepareTimeout, Duration bootTimeout, Duration testTimeout) {

    /** The modules directory (lib/modules/VERSION) of a kernel image given as a path, when 9p/virtio are modules. */
    public static final String MODULES_PROPERTY_NAME = "junit.ebpf.vm.modules";
    /** auto (probe KVM with a short boot, else TCG), kvm (fail when it does not work) or tcg. */
    public static final String ACCEL_PROPERTY_NAME = "junit.ebpf.vm.accel";
    /** Guest memory (default 2G). */
    public static final String MEMORY_PROPERTY_NAME = "junit.ebpf.vm.memory";
    /** Guest vCPUs (default: the host's cores, at most 2). */
    public static final String CPUS_PROPERTY_NAME = "junit.ebpf.vm.cpus";
    /** Cache directory (default ~/.cache/junit-ebpf/vm, or under $XDG_CACHE_HOME). */
    public static final String CACHE_PROPERTY_NAME = "junit.ebpf.vm.cache";
    /** The guest's JDK (default: the test JVM's java.home). */
    public static final String JAVA_HOME_PROPERTY_NAME = "junit.ebpf.vm.java-home";
    /** Time to download and prepare a kernel (default 15m). */
    public static final String PREPARE_TIMEOUT_PROPERTY_NAME = "junit.ebpf.vm.prepare-timeout";
    /** Time from QEMU's start to a guest JVM ready for tests (default 5m: TCG on a busy machine is slow). */
    public static final String BOOT_TIMEOUT_PROPERTY_NAME = "junit.ebpf.vm.boot-timeout";
    /** Time one test may take in the guest (default 10m). */
    public static final String TEST_TIMEOUT_PROPERTY_NAME = "junit.ebpf.vm.test-timeout";

    /** The kernels known by name: Debian bullseye, bookworm, trixie and sid (its newest). */
    public static final List<String> KERNEL_NAMES = List.of("5.10", "6.1", "6.12", "latest");

    /** The QEMU accelerator request (accel.sh decides). */
    public enum Accel { AUTO, KVM, TCG }

    /**
     * What to boot: a Debian kernel by name, or a user's image (bzImage, vmlinuz or ELF vmlinux) with the modules
     * directory it needs, if any.
     *
     * @param name    the configured value ("6.1", or the image path)
     * @param image   the image, for a kernel given as a path
     * @param modules its lib/modules/VERSION directory
     */
    public record Kernel(String name, Optional<Path> image, Optional<Path> modules) {

        public Kernel {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(modules, "modules");
        }

        /** The arguments of {@code guest.sh prepare} after the cache directory. */
        List<String> prepareArguments() {
            return image.map(i -> modules.map(m -> List.of(i.toString(), m.toString()))
                    .orElse(List.of(i.toString()))).orElse(List.of(name));
        }
    }

    public VmConfig {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(accel, "accel");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(javaHome, "javaHome");
        Objects.requireNonNull(prepareTimeout, "prepareTimeout");
        Objects.requireNonNull(bootTimeout, "bootTimeout");
        Objects.requireNonNull(testTimeout, "testTimeout");
    }

    /**
     * Reads the configuration; a missing or bad {@value EbpfConfig#KERNEL_PROPERTY_NAME} or bad value of another key
     * throws {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the key and the value.
     */
    public static VmConfig from(EbpfConfig config) {
        String value = config.string(EbpfConfig.KERNEL_PROPERTY_NAME).orElseThrow(() -> config.bad(
                EbpfConfig.KERNEL_PROPERTY_NAME, "", "the kernel to boot: " + String.join(", ", KERNEL_NAMES)
                        + " or the path of a kernel image"));
        Kernel kernel = kernel(config, value);
        String memory = config.string(MEMORY_PROPERTY_NAME).orElse("2G");
        if (!memory.matches("\\d+[MG]?")) {
            throw config.bad(MEMORY_PROPERTY_NAME, memory, "a size such as 2G or 1536M");
        }
        int cpus = config.positiveInt(CPUS_PROPERTY_NAME, Math.min(2, Runtime.getRuntime().availableProcessors()));
        Path cache = config.string(CACHE_PROPERTY_NAME).map(Path::of).orElseGet(VmConfig::defaultCache)
                .toAbsolutePath().normalize();
        Path javaHome = config.string(JAVA_HOME_PROPERTY_NAME).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.home"))).toAbsolutePath().normalize();
        if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
            throw config.bad(JAVA_HOME_PROPERTY_NAME, javaHome.toString(), "a JDK directory with bin/java");
        }
        return new VmConfig(kernel, config.choice(ACCEL_PROPERTY_NAME, Accel.class, Accel.AUTO), memory, cpus, cache,
                javaHome, config.duration(PREPARE_TIMEOUT_PROPERTY_NAME, Duration.ofMinutes(15)),
                config.duration(BOOT_TIMEOUT_PROPERTY_NAME, Duration.ofMinutes(5)),
                config.duration(TEST_TIMEOUT_PROPERTY_NAME, Duration.ofMinutes(10)));
    }

    private static Kernel kernel(EbpfConfig config, String value) {
        Optional<Path> modules = config.string(MODULES_PROPERTY_NAME).map(Path::of);
        if (KERNEL_NAMES.contains(value)) {
            if (modules.isPresent()) {
                throw config.bad(MODULES_PROPERTY_NAME, modules.get().toString(),
                        "nothing: Debian kernels bring their modules; it goes with a kernel image path");
            }
            return new Kernel(value, Optional.empty(), Optional.empty());
        }
        if (!value.contains("/")) {
            throw config.bad(EbpfConfig.KERNEL_PROPERTY_NAME, value, "one of " + String.join(", ", KERNEL_NAMES)
                    + ", host, or the path of a kernel image");
        }
        Path image = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(image)) {
            throw config.bad(EbpfConfig.KERNEL_PROPERTY_NAME, value, "a kernel image file; " + image
                    + " does not exist");
        }
        if (modules.isPresent() && !Files.isDirectory(modules.get())) {
            throw config.bad(MODULES_PROPERTY_NAME, modules.get().toString(),
                    "the kernel's lib/modules/VERSION directory; it does not exist");
        }
        return new Kernel(value, Optional.of(image), modules.map(m -> m.toAbsolutePath().normalize()));
    }

    private static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("junit-ebpf").resolve("vm");
    }
}
