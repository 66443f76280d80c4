package io.junitebpf.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code compile-bpf} and {@code test-compile-bpf} share: the clang command and its checks. */
abstract class AbstractCompileBpfMojo extends AbstractMojo {

    /** The clang to run: a command on PATH or a path. Checked to be clang {@value Clang#MIN_MAJOR} or newer. */
    @Parameter(property = "junit.ebpf.clang", defaultValue = "clang")
    private String clang;

    /** Extra clang arguments, e.g. {@code -Wall}, {@code -Werror}. */
    @Parameter
    private List<String> flags = new ArrayList<>();

    /** Preprocessor definitions, {@code NAME} or {@code NAME=VALUE}, passed as {@code -D}. */
    @Parameter
    private List<String> defines = new ArrayList<>();

    /** More include directories, searched before the shipped headers (e.g. the directory of your vmlinux.h). */
    @Parameter
    private List<File> includeDirs = new ArrayList<>();

    /** {@code x86} or {@code arm64}; by default the build machine's ({@code os.arch}). */
    @Parameter(property = "junit.ebpf.targetArch")
    private String targetArch;

    /** Skips compiling BPF C. */
    @Parameter(property = "junit.ebpf.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    private File buildDirectory;

    abstract Path sourceDirectory();

    abstract Path outputDirectory();

    /** {@code main} or {@code test}: keeps the two runs' dependency lists apart. */
    abstract String scope();

    boolean skipped() {
        return skip;
    }

    @Override
    public void execute() throws MojoFailureException {
        if (skipped()) {
            getLog().info("BPF compile skipped");
            return;
        }
        Path sources = sourceDirectory();
        if (BpfCompiler.sources(sources).isEmpty()) {
            getLog().debug("no *.bpf.c under " + sources + ": nothing to compile");
            return;
        }
        long start = System.nanoTime();
        try {
            BpfCompiler.Options options = new BpfCompiler.Options(clang,
                    targetArch == null || targetArch.isBlank() ? TargetArch.host() : TargetArch.named(targetArch),
                    ShippedHeaders.extract(headersDirectory(buildDirectory.toPath())),
                    includeDirs.stream().map(File::toPath).toList(), defines, flags,
                    buildDirectory.toPath().resolve("junit-ebpf/state/" + scope()));
            BpfCompiler.Result result = new BpfCompiler(options, getLog()::warn).compile(sources, outputDirectory());
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (result.compiled().isEmpty()) {
                getLog().info(result.upToDate().size() + " BPF objects up to date (" + ms + " ms)");
            } else {
                getLog().info("compiled " + result.compiled().size() + " BPF programs to " + outputDirectory()
                        + " with clang " + result.clang().version() + " (" + result.upToDate().size()
                        + " up to date, " + ms + " ms)");
            }
        } catch (BpfBuildException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    /** Where the shipped headers are extracted; one place for both scopes. */
    static Path headersDirectory(Path buildDirectory) {
        return buildDirectory.resolve("junit-ebpf/include");
    }
}
