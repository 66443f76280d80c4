package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.LibbpfApi;
import io.junitebpf.bpf.internal.LogCapture;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loaded libbpf shared library.
 *
 * <p>{@link #system()} opens the one the user chose: the path in the system
 * property {@value #LIBRARY_PATH_PROPERTY}, else the environment variable
 * {@value #LIBRARY_PATH_ENV}, else the dynamic linker's {@code libbpf.so.1}
 * (read through {@link Configuration}, like every junit-ebpf key).
 * Versions below 1.0 are refused: libbpf 1.0 changed error reporting to
 * {@code -errno} everywhere and this binding relies on it. Calls introduced
 * after the loaded version fail alone, with an {@link UnsupportedOperationException}
 * naming the symbol and the version it needs.
 */
public final class Libbpf {

    /** System property naming the libbpf shared object to load (a path or a soname). */
    public static final String LIBRARY_PATH_PROPERTY = "junit.ebpf.libbpf.path";
    /** Environment variable naming the libbpf shared object, when the property is unset. */
    public static final String LIBRARY_PATH_ENV = "JUNIT_EBPF_LIBBPF_PATH";
    /**
     * "true" to capture libbpf's DEBUG lines too (many: every relocation), from the first open on;
     * {@link LibbpfLog#includeDebug(boolean)} changes it later.
     */
    public static final String DEBUG_LOG_PROPERTY = "junit.ebpf.libbpf.debug";
    /** What the dynamic linker is asked for by default. */
    public static final String DEFAULT_SONAME = "libbpf.so.1";

    private static final ConcurrentHashMap<String, Libbpf> OPENED = new ConcurrentHashMap<>();

    private final LibbpfApi api;
    private final LibbpfVersion version;

    private Libbpf(LibbpfApi api) {
        this.api = api;
        this.version = new LibbpfVersion(api.major(), api.minor());
    }

    /**
     * The libbpf chosen by configuration (see the class comment), opened once per process.
     *
     * @throws LibbpfUnavailableException when it cannot be opened or is too old
     */
    public static Libbpf system() {
        return open(configuredLocation());
    }

    /**
     * Opens a specific libbpf: an absolute path to a {@code libbpf.so*} or a soname.
     * The same location is opened once per process.
     *
     * @throws LibbpfUnavailableException when it cannot be opened or is too old
     */
    public static Libbpf open(String pathOrSoname) {
        Objects.requireNonNull(pathOrSoname, "pathOrSoname");
        if (pathOrSoname.isBlank()) {
            throw new IllegalArgumentException("open libbpf: empty path (give a path to libbpf.so or a soname)");
        }
        return OPENED.computeIfAbsent(pathOrSoname, Libbpf::doOpen);
    }

    /** Where {@link #system()} looks: property, environment variable, or the default soname. */
    public static String configuredLocation() {
        return Configuration.system().string(LIBRARY_PATH_PROPERTY).orElse(DEFAULT_SONAME);
    }

    private static Libbpf doOpen(String location) {
        if (Configuration.system().bool(DEBUG_LOG_PROPERTY, false)) {
            LogCapture.debug(true);
        }
        LibbpfApi api;
        try {
            api = LibbpfApi.open(location);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new LibbpfUnavailableException("open libbpf: " + e.getMessage()
                    + " (install libbpf 1.x, e.g. apt-get install libbpf1, or set -D" + LIBRARY_PATH_PROPERTY
                    + "=/path/to/libbpf.so.1)", e);
        }
        if (api.major() < 1) {
            throw new LibbpfUnavailableException("open libbpf: " + location + " is libbpf " + api.major() + "."
                    + api.minor() + "; junit-ebpf needs 1.0 or newer (set -D" + LIBRARY_PATH_PROPERTY
                    + " to a newer libbpf.so)", null);
        }
        return new Libbpf(api);
    }

    /** The version the library reports (libbpf_major_version/libbpf_minor_version). */
    public LibbpfVersion version() {
        return version;
    }

    /** The path or soname it was opened from. */
    public String location() {
        return api.location();
    }

    /** Whether the library exports {@code symbol}, for gating calls newer than the loaded library. */
    public boolean hasSymbol(String symbol) {
        return api.has(symbol);
    }

    LibbpfApi api() {
        return api;
    }

    @Override
    public String toString() {
        return "libbpf " + version + " (" + location() + ")";
    }
}
