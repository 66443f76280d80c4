package io.junitebpf.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Compiles every {@code **}{@code /*.bpf.c} under a source root into a {@code .bpf.o} at the same relative path
 * under an output root: {@code clang -g -O2 -target bpf -D__TARGET_ARCH_<arch>}, CO-RE, with BTF.
 *
 * <p>An object is rebuilt only when it is missing, older than its source or any header the source
 * included (clang's own {@code -MD} dependency list), or was built with another command line. Independent
 * of Maven, so tests drive it directly.
 */
public final class BpfCompiler {

    /** The source suffix this compiler picks up. */
    public static final String SOURCE_SUFFIX = ".bpf.c";

    /**
     * What every compile uses.
     *
     * @param clang       the clang command or path; run (and version-checked) only when something is stale
     * @param arch        the target architecture (define and multiarch include directory)
     * @param headers     the directory holding the plugin's shipped headers
     * @param includeDirs more {@code -I} directories, searched before the shipped headers
     * @param defines     {@code NAME} or {@code NAME=VALUE}, passed as {@code -D}
     * @param flags       extra clang arguments, e.g. {@code -Wall}
     * @param stateDir    where dependency lists and command lines are kept between builds
     */
    public record Options(String clang, TargetArch arch, Path headers, List<Path> includeDirs, List<String> defines,
                          List<String> flags, Path stateDir) {
        public Options {
            Objects.requireNonNull(clang, "clang");
            Objects.requireNonNull(arch, "arch");
            Objects.requireNonNull(headers, "headers");
            includeDirs = List.copyOf(includeDirs);
            defines = List.copyOf(defines);
            flags = List.copyOf(flags);
            Objects.requireNonNull(stateDir, "stateDir");
        }
    }

    /**
     * What one run did.
     *
     * @param compiled the objects written
     * @param upToDate the objects left as they were
     * @param clang    the clang that compiled them; null when nothing was compiled
     */
    public record Result(List<Path> compiled, List<Path> upToDate, Clang clang) {
        /** Every object of the source root, compiled now or before. */
        public List<Path> objects() {
            return Stream.concat(compiled.stream(), upToDate.stream()).sorted().toList();
        }
    }

    private final Options options;
    private final Consumer<String> warnings;

    /** @param warnings receives clang's warnings, one {@code file:line: warning: message} each */
    public BpfCompiler(Options options, Consumer<String> warnings) {
        this.options = Objects.requireNonNull(options, "options");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /** The sources under {@code sourceRoot}, relative to it, sorted; empty when it does not exist. */
    public static List<Path> sources(Path sourceRoot) {
        if (!Files.isDirectory(sourceRoot)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SOURCE_SUFFIX) && Files.isRegularFile(f))
                    .map(sourceRoot::relativize).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("compile-bpf: cannot list " + sourceRoot, e);
        }
    }

    /** {@code dir/prog.bpf.c} → {@code dir/prog.bpf.o}. */
    public static Path objectName(Path relativeSource) {
        String name = relativeSource.getFileName().toString();
        return relativeSource.resolveSibling(name.substring(0, name.length() - 2) + ".o");
    }

    /**
     * Compiles what is out of date.
     *
     * @throws BpfBuildException listing every diagnostic as {@code file:line: error: message} when a source fails
     */
    public Result compile(Path sourceRoot, Path outputRoot) {
        List<Path> sources = sources(sourceRoot);
        List<Path> stale = new ArrayList<>();
        List<Path> fresh = new ArrayList<>();
        for (Path rel : sources) {
            Path object = outputRoot.resolve(objectName(rel));
            (isUpToDate(sourceRoot, rel, object) ? fresh : stale).add(object);
        }
        if (stale.isEmpty()) {
            return new Result(List.of(), fresh, null);
        }
        Clang clang = Clang.find(options.clang());
        List<String> failures = new ArrayList<>();
        int threads = Math.min(stale.size(), Runtime.getRuntime().availableProcessors());
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<String>> runs = new ArrayList<>();
            for (Path rel : sources) {
                Path object = outputRoot.resolve(objectName(rel));
                if (stale.contains(object)) {
                    runs.add(pool.submit(() -> compileOne(sourceRoot, rel, object)));
                }
            }
            for (Future<String> run : runs) {
                String failure = run.get();
                if (failure != null) {
                    failures.add(failure);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BpfBuildException("compile-bpf: interrupted", e);
        } catch (ExecutionException e) {
            throw new BpfBuildException("compile-bpf: " + e.getCause().getMessage(), e.getCause());
        }
        if (!failures.isEmpty()) {
            throw new BpfBuildException("compile-bpf: " + failures.size() + " of " + stale.size()
                    + " BPF programs failed to compile\n" + String.join("\n", failures));
        }
        return new Result(stale, fresh, clang);
    }

    /** Runs clang on one source; null on success, else the failure's report. */
    private String compileOne(Path sourceRoot, Path rel, Path object) throws IOException, InterruptedException {
        Path depFile = options.stateDir().resolve(rel + ".d");
        Path cmdFile = options.stateDir().resolve(rel + ".cmd");
        Files.createDirectories(object.getParent());
        Files.createDirectories(depFile.getParent());
        Files.deleteIfExists(cmdFile);
        List<String> command = command(sourceRoot, rel, object, depFile);
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        List<Diagnostics.Diagnostic> diagnostics = Diagnostics.parse(stderr);
        diagnostics.stream().filter(d -> !d.isError()).forEach(d -> warnings.accept(d.toString()));
        if (exit == 0) {
            Files.writeString(cmdFile, String.join("\n", commandKey(sourceRoot, rel)));
            return null;
        }
        Files.deleteIfExists(object);
        List<String> errors = diagnostics.stream().filter(Diagnostics.Diagnostic::isError)
                .map(Diagnostics.Diagnostic::toString).toList();
        String body = errors.isEmpty() ? stderr.strip() : String.join("\n", errors);
        return body + "\n  (" + rel + ": clang exit " + exit + Diagnostics.hint(diagnostics, options.arch())
                + "; command: " + String.join(" ", command) + ")";
    }

    List<String> command(Path sourceRoot, Path rel, Path object, Path depFile) {
        List<String> c = new ArrayList<>();
        c.addAll(commandKey(sourceRoot, rel));
        c.addAll(List.of("-MD", "-MF", depFile.toString(), "-c", sourceRoot.resolve(rel).toString(),
                "-o", object.toString()));
        return c;
    }

    /** The part of the command line that decides the object's content: when it changes, the object is stale. */
    private List<String> commandKey(Path sourceRoot, Path rel) {
        List<String> c = new ArrayList<>(List.of(options.clang(), "-g", "-O2", "-target", "bpf", "-D" + options.arch().define()));
        options.defines().forEach(d -> c.add("-D" + d));
        c.addAll(options.flags());
        options.includeDirs().forEach(d -> c.add("-I" + d));
        c.add("-I" + options.headers());
        c.add("-I" + sourceRoot.resolve(rel).getParent());
        c.add("-I/usr/include/" + options.arch().multiarch());
        return c;
    }

    private boolean isUpToDate(Path sourceRoot, Path rel, Path object) {
        Path depFile = options.stateDir().resolve(rel + ".d");
        Path cmdFile = options.stateDir().resolve(rel + ".cmd");
        try {
            if (!Files.isRegularFile(object) || !Files.isRegularFile(depFile) || !Files.isRegularFile(cmdFile)
                    || !Files.readString(cmdFile).equals(String.join("\n", commandKey(sourceRoot, rel)))) {
                return false;
            }
            FileTime built = Files.getLastModifiedTime(object);
            for (String input : DependencyFile.inputs(Files.readString(depFile))) {
                if (Files.getLastModifiedTime(Path.of(input)).compareTo(built) > 0) {
                    return false;
                }
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;   // a header was deleted or renamed: clang decides whether the source still builds
        } catch (IOException e) {
            throw new UncheckedIOException("compile-bpf: cannot check whether " + object + " is up to date", e);
        }
    }
}
