package io.junitebpf.target;

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

    /** System property overriding the cache directory. */
    public static final String CACHE_PROPERTY = "junit.ebpf.target.cache";
    /** System property naming the C compiler (default {@code cc}). */
    public static final String COMPILER_PROPERTY = "junit.ebpf.target.cc";

    private static final long COMPILE_TIMEOUT_SECONDS = 120;

    private final String name;
    private final byte[] source;
    private final List<String> flags;

    private NativeBuild(String name, byte[] source, List<String> flags) {
        this.name = name;
        this.source = source;
        this.flags = flags;
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
        return new NativeBuild(name, source.clone(), List.copyOf(flags));
    }

    /** A build of a classpath resource holding C source. */
    public static NativeBuild ofResource(String name, String resource, List<String> flags) {
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (var in = (loader != null ? loader : NativeBuild.class.getClassLoader()).getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("native target " + name + ": no classpath resource " + resource);
            }
            return of(name, in.readAllBytes(), flags);
        } catch (IOException e) {
            throw new UncheckedIOException("native target " + name + ": cannot read " + resource, e);
        }
    }

    /** The compiled executable, built now unless the cache already holds it. */
    public Path executable() {
        String compiler = System.getProperty(COMPILER_PROPERTY, "cc");
        Path dir = cacheRoot().resolve(name + "-" + key(compiler));
        Path binary = dir.resolve(name);
        if (Files.isExecutable(binary)) {
            return binary;
        }
        try {
            Files.createDirectories(dir.getParent());
            Path work = Files.createTempDirectory(dir.getParent(), name + "-build-");
            try {
                Path src = work.resolve(name + ".c");
                Files.write(src, source);
                compile(compiler, src, work.resolve(name));
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

    private void compile(String compiler, Path src, Path out) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(compiler);
        command.addAll(flags);
        command.addAll(List.of("-o", out.toString(), src.toString()));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
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
            digest.update((compiler + "\0" + String.join("\0", flags)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
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
