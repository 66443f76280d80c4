package io.junitebpf.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.nio.file.Path;

/**
 * Compiles {@code src/test/bpf/**}{@code /*.bpf.c} into {@code .bpf.o} resources of the test output, at the same
 * relative path ({@code src/test/bpf/probe.bpf.c} → test classpath {@code probe.bpf.o}).
 */
@Mojo(name = "test-compile-bpf", defaultPhase = LifecyclePhase.GENERATE_TEST_RESOURCES, threadSafe = true)
public class TestCompileBpfMojo extends AbstractCompileBpfMojo {

    /** Where the test BPF C sources are; missing is fine (nothing to do). */
    @Parameter(defaultValue = "${project.basedir}/src/test/bpf")
    private File sourceDirectory;

    /** Where the objects go; a subdirectory becomes a resource path prefix. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}")
    private File outputDirectory;

    /** {@code -Dmaven.test.skip} skips this too, as it skips compiling tests. */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    private boolean skipTests;

    @Override
    boolean skipped() {
        return skipTests || super.skipped();
    }

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
        return "test";
    }
}
