package io.junitebpf.target;

import io.junitebpf.bpf.ClasspathResource;
import io.junitebpf.bpf.Configuration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Builds a native target from C source with the system C compiler, cached by
 * content: the key hashes the source, the compiler command and its flags, so
 * a suite compiles each distinct target once and a changed source rebuilds.
 *
 * <p>The cache directory is {@value #CACHE_PROPERTY} if set, else
 * {@code $XDG_CACHE_HOME/junit-ebpf/targets}, else {@code ~/.cache/junit-ebpf/targets}.
 * A build writes into a temporary directory and moves it into place, so
 * concurrent builds of the same target never see a half-written binary.
 */
public final class NativeBuild {

    /** System property (or JUNIT_EBPF_TARGET_CACHE) overriding the cache directory. */
    public static final String CACHE_PROPERTY = "junit.ebpf.target.cache";
    /** System property (or JUNIT_EBPF_TARGET_CC) naming the C compiler (default {@code cc}). */
    public static final String COMPILER_PROPERTY = "junit.ebpf.target.cc";

    private static final long COMPILE_TIMEOUT_SECONDS = 120;

    private final String name;
    private final byte[] source;
    private final List<String> flags;
    private final List<Library> libraries;

    /** A shared library the executable links against: {@code lib<name>.so} built from {@code source}. */
    private record Library(String name, byte[] source) {
    }

    private NativeBuild(String name, byte[] source, List<String> flags, List<Library> libraries) {
        this.name = name;
        this.source = source;
        this.flags = flags;
        this.libraries = libraries;
    }

    /**
     * A build of {@code source} into an executable called {@code name}.
     *
     * @param name   the executable's file name (also its comm), e.g. "umark"
     * @param source the C source text
     * @param flags  compiler flags, e.g. "-O2", "-g"
     */
    public static NativeBuild of(String name, byte[] source, List<String> flags) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        if (name.isBlank() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("native target: invalid executable name '" + name + "'");
        }
        if (source.length == 0) {
            throw new IllegalArgumentException("native target " + name + ": empty C source");
        }
        return new NativeBuild(name, source.clone(), List.copyOf(flags), List.of());
    }

    /** A build of a classpath resource holding C source. */
    public static NativeBuild ofResource(String name, String resource, List<String> flags) {
        return of(name, read(name, resource), flags);
    }

    /**
     * This build plus a shared library {@code lib<library>.so} compiled from {@code source}
     * ({@code -shared -fPIC} and this build's flags) that the executable links against. The
     * library lies next to the executable in the cache and the executable's RUNPATH names that
     * directory by its absolute path, so the loader finds it whatever the working directory.
     */
    public NativeBuild withLibrary(String library, byte[] source) {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(source, "source");
        if (!library.matches("[A-Za-z0-9_+-][A-Za-z0-9_.+-]*")) {
            throw new IllegalArgumentException("native target " + name + ": invalid library name '" + library
                    + "' (give the name without lib prefix and .so, e.g. \"greet\" for libgreet.so)");
        }
        if (source.length == 0) {
            throw new IllegalArgumentException("native target " + name + ": empty C source of library " + library);
        }
        List<Library> all = new ArrayList<>(libraries);
        all.add(new Library(library, source.clone()));
        return new NativeBuild(name, this.source, flags, List.copyOf(all));
    }

    /**
     * {@link #withLibrary(String, byte[])} from a classpath resource; the library is named
     * after the file: {@code targets/greet.c} becomes {@code libgreet.so}, as does {@code libgreet.c}.
     */
    public NativeBuild withLibraryResource(String resource) {
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        String base = file.endsWith(".c") ? file.substring(0, file.length() - 2) : file;
        String library = base.startsWith("lib") && base.length() > 3 ? base.substring(3) : base;
        return withLibrary(library, read(name, resource));
    }

    private static byte[] read(String name, String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return ClasspathResource.read(resource, loader != null ? loader : NativeBuild.class.getClassLoader())
                    .orElseThrow(() -> new IllegalArgumentException("native target " + name
                            + ": no classpath resource " + resource));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("native target " + name + ": cannot read " + resource, e.getCause());
        }
    }

    /** A shared library of this build ({@code lib<library>.so} in the executable's cache directory). */
    public Path library(String library) {
        if (libraries.stream().noneMatch(l -> l.name().equals(library))) {
            throw new IllegalArgumentException("native target " + name + ": no library " + library + " (it has: "
                    + libraries.stream().map(Library::name).toList() + ")");
        }
        return executable().resolveSibling("lib" + library + ".so");
    }

    /** The compiled executable, built now unless the cache already holds it. */
    public Path executable() {
        String compiler = Configuration.system().string(COMPILER_PROPERTY).orElse("cc");
        Path dir = cacheRoot().toAbsolutePath().resolve(name + "-" + key(compiler));
        Path binary = dir.resolve(name);
        if (Files.isExecutable(binary)) {
            return binary;
        }
        try {
            Files.createDirectories(dir.getParent());
            Path work = Files.createTempDirectory(dir.getParent(), name + "-build-");
            try {
                List<String> link = new ArrayList<>();
                for (Library library : libraries) {
                    Path libSrc = work.resolve("lib" + library.name() + ".c");
                    Files.write(libSrc, library.source());
                    compile(compiler, work, List.of("-shared", "-fPIC"), libSrc,
                            work.resolve("lib" + library.name() + ".so"), List.of());
                    link.add("-l" + library.name());
                }
                if (!libraries.isEmpty()) {
                    // -L finds the libraries now (in the build directory); RUNPATH finds them at run
                    // time, in the directory the build is moved to: absolute, never the JVM's cwd
                    link.addAll(0, List.of("-L" + work, "-Wl,-rpath," + dir.toAbsolutePath()));
                }
                Path src = work.resolve(name + ".c");
                Files.write(src, source);
                compile(compiler, work, List.of(), src, work.resolve(name), link);
                try {
                    Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException e) {
                    // another build won the race; its binary is identical
                } catch (IOException e) {
                    if (!Files.isExecutable(binary)) {
                        throw e;
                    }
                }
            } finally {
                deleteTree(work);
            }
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException("native target " + name + ": cannot write to cache " + dir, e);
        }
    }

    /** Runs in the build directory, so relative paths in the flags never depend on the JVM's cwd. */
    private void compile(String compiler, Path work, List<String> extra, Path src, Path out, List<String> link)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(compiler);
        command.addAll(flags);
        command.addAll(extra);
        command.addAll(List.of("-o", out.toString(), src.toString()));
        command.addAll(link);
        Process process;
        try {
            process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new TargetException("build native target " + name + ": cannot run " + compiler
                    + " (install a C compiler, e.g. apt-get install gcc, or set -D" + COMPILER_PROPERTY + ")", e);
        }
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(COMPILE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new TargetException("build native target " + name + ": " + compiler + " timed out", null);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TargetException("build native target " + name + ": interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new TargetException("build native target " + name + ": " + String.join(" ", command)
                    + " exited with " + process.exitValue() + "\n" + output.strip(), null);
        }
    }

    private String key(String compiler) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(source);
            for (Library library : libraries) {
                digest.update(("\0lib:" + library.name() + "\0").getBytes(StandardCharsets.UTF_8));
                digest.update(library.source());
            }
            digest.update((compiler + "\0" + String.join("\0", flags)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path cacheRoot() {
        Optional<String> configured = Configuration.system().string(CACHE_PROPERTY);
        if (configured.isPresent()) {
            return Path.of(configured.get());
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("junit-ebpf").resolve("targets");
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
