package io.junitebpf.maven;

import io.junitebpf.btf.Btf;
import io.junitebpf.btf.BtfException;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes Java records for the structs in the BTF of every {@code .bpf.o} of the main and test output (what
 * {@code compile-bpf} and {@code test-compile-bpf} built, and {@code .bpf.o} resources copied there) into
 * generated test sources: one class per object, e.g. {@code UprobeBpf} with {@code UprobeBpf.OBJECT} (its
 * resource name) and a record per struct ({@code UprobeBpf.UprobeEvent}). See {@link RecordGenerator} for
 * which structs and which Java types.
 */
@Mojo(name = "generate-records", defaultPhase = LifecyclePhase.PROCESS_TEST_RESOURCES, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.TEST)
public class GenerateRecordsMojo extends AbstractMojo {

    /** The package of the generated classes; by default the project's group id followed by {@code .bpf}. */
    @Parameter(property = "junit.ebpf.recordPackage")
    private String packageName;

    /** Where the sources go; added as a test source root. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-sources/bpf-records")
    private File outputDirectory;

    /** The directories searched for {@code **}{@code /*.bpf.o}; resource names are relative to them. */
    @Parameter
    private List<File> objectDirectories;

    /**
     * Objects on the test class path (in a dependency jar) to generate records for too, by resource name,
     * e.g. {@code bpf/uprobe.bpf.o}.
     */
    @Parameter
    private List<String> classpathObjects = new ArrayList<>();

    /** Skips generating records. */
    @Parameter(property = "junit.ebpf.skip", defaultValue = "false")
    private boolean skip;

    /** {@code -Dmaven.test.skip} skips this too: the records are test sources. */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    private boolean skipTests;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoFailureException {
        if (skip || skipTests) {
            getLog().info("record generation skipped");
            return;
        }
        List<Path> roots = objectDirectories != null ? objectDirectories.stream().map(File::toPath).toList()
                : List.of(Path.of(project.getBuild().getOutputDirectory()),
                Path.of(project.getBuild().getTestOutputDirectory()));
        String pkg = packageName != null ? packageName : JavaNames.packageName(project.getGroupId()) + ".bpf";
        try {
            Map<String, byte[]> fromClasspath = new LinkedHashMap<>();
            for (String resource : classpathObjects) {
                fromClasspath.put(resource, ClasspathObjects.read(resource, project.getTestClasspathElements()));
            }
            int written = generate(roots, fromClasspath, pkg, outputDirectory.toPath());
            getLog().info("records for BPF objects in " + outputDirectory + " (" + written + " written)");
        } catch (BpfBuildException | BtfException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoFailureException("generate-records: the test class path is not resolved: " + e.getMessage(), e);
        }
        project.addTestCompileSourceRoot(outputDirectory.getPath());
    }

    /**
     * Generates one class per object found under {@code roots}, rewriting only files whose content changed
     * (so the test compile stays incremental) and deleting classes of objects that are gone.
     *
     * @return how many files were written
     */
    static int generate(List<Path> roots, Map<String, byte[]> classpathObjects, String packageName,
                        Path outputDirectory) {
        Path dir = outputDirectory.resolve(packageName.replace('.', '/'));
        Map<String, String> owners = new HashMap<>();
        List<RecordGenerator.Generated> classes = new ArrayList<>();
        Set<Path> produced = new HashSet<>();
        int written = 0;
        try {
            // everything is generated and checked before a file is touched: a failure leaves the last good state
            for (Path root : roots) {
                for (Path object : objects(root)) {
                    String resource = root.relativize(object).toString().replace(File.separatorChar, '/');
                    RecordGenerator.Generated g = RecordGenerator.generate(packageName, resource,
                            Btf.parse(resource, Files.readAllBytes(object)));
                    String before = owners.putIfAbsent(g.className(), resource);
                    if (before != null) {
                        throw new BpfBuildException("generate-records: " + before + " and " + resource
                                + " both give class " + packageName + "." + g.className()
                                + " (rename one of the sources)");
                    }
                    classes.add(g);
                }
            }
            for (Map.Entry<String, byte[]> o : classpathObjects.entrySet()) {
                RecordGenerator.Generated g = RecordGenerator.generate(packageName, o.getKey(),
                        Btf.parse(o.getKey(), o.getValue()));
                String before = owners.putIfAbsent(g.className(), o.getKey());
                if (before != null) {
                    throw new BpfBuildException("generate-records: " + before + " and " + o.getKey()
                            + " both give class " + packageName + "." + g.className() + " (rename one of them)");
                }
                classes.add(g);
            }
            for (RecordGenerator.Generated g : classes) {
                Path file = dir.resolve(g.className() + ".java");
                produced.add(file);
                if (!Files.isRegularFile(file) || !Files.readString(file).equals(g.source())) {
                    Files.createDirectories(dir);
                    Files.writeString(file, g.source());
                    written++;
                }
            }
            if (Files.isDirectory(dir)) {
                try (Stream<Path> old = Files.list(dir)) {
                    for (Path f : old.filter(f -> f.toString().endsWith(".java") && !produced.contains(f)).toList()) {
                        Files.delete(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("generate-records: " + e.getMessage(), e);
        }
        return written;
    }

    private static List<Path> objects(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return new ArrayList<>(files.filter(f -> f.getFileName().toString().endsWith(".bpf.o")).sorted().toList());
        }
    }
}
