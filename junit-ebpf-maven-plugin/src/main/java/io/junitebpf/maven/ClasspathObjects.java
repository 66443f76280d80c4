package io.junitebpf.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads a resource from a class path given as directories and jars, as the test class loader would find it. */
final class ClasspathObjects {

    private ClasspathObjects() {
    }

    /**
     * @throws BpfBuildException naming the class path when no element has the resource
     */
    static byte[] read(String resource, List<String> classpath) {
        try {
            for (String element : classpath) {
                Path p = Path.of(element);
                if (Files.isDirectory(p)) {
                    Path file = p.resolve(resource);
                    if (Files.isRegularFile(file)) {
                        return Files.readAllBytes(file);
                    }
                } else if (Files.isRegularFile(p) && element.endsWith(".jar")) {
                    try (ZipFile jar = new ZipFile(p.toFile())) {
                        ZipEntry entry = jar.getEntry(resource);
                        if (entry != null) {
                            return jar.getInputStream(entry).readAllBytes();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("generate-records: cannot read " + resource + ": " + e.getMessage(), e);
        }
        throw new BpfBuildException("generate-records: classpathObjects entry '" + resource + "' is on no element of"
                + " the test class path " + classpath + " (check the name and the dependency that ships it)");
    }
}
