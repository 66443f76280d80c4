package io.junitebpf.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.nio.file.Path;

/**
 * Compiles {@code src/main/bpf/**}{@code /*.bpf.c} into {@code .bpf.o} resources of the main output, at the same
 * relative path ({@code src/main/bpf/net/drop.bpf.c} → classpath {@code net/drop.bpf.o}).
 */
@Mojo(name = "compile-bpf", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class CompileBpfMojo extends AbstractCompileBpfMojo {

    /** Where the BPF C sources are; missing is fine (nothing to do). */
    @Parameter(defaultValue = "${project.basedir}/src/main/bpf")
    private File sourceDirectory;

    /** Where the objects go; a subdirectory becomes a resource path prefix. */
    @Parameter(defaultValue = "${project.build.outputDirectory}")
    private File outputDirectory;

    @Override
    Path sourceDirectory() {
        return sourceDirectory.toPath();
    }

    @Override
    Path outputDirectory() {
        return outputDirectory.toPath();
    }

    @Override
    String scope() {
        return "main";
    }
}
