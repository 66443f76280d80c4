package io.junitebpf.remote;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The test JVM's class path as a remote runtime must reproduce it: the remote JVM sees the same paths (bind mounts,
 * a 9p share of the host root), but not a manifest-only jar's relative Class-Path unless its targets are listed too.
 */
public final class TestClassPath {

    private static final System.Logger LOG = System.getLogger(TestClassPath.class.getName());

    private TestClassPath() {
    }

    /** The test JVM's class path, with the Class-Path of manifest-only jars (Surefire's booter) expanded. */
    public static List<Path> entries() {
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                expand(Path.of(entry).toAbsolutePath().normalize(), entries, 0);
            }
        }
        return List.copyOf(entries);
    }

    private static void expand(Path entry, Set<Path> entries, int depth) {
        if (!Files.exists(entry) || !entries.add(entry) || depth > 2 || !entry.toString().endsWith(".jar")) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            var manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null || classPath.isBlank()) {
                return;
            }
            URI base = entry.getParent().toUri();
            for (String item : classPath.trim().split("\\s+")) {
                URI uri = base.resolve(item);
                if ("file".equals(uri.getScheme())) {
                    expand(Path.of(uri).normalize(), entries, depth + 1);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read the manifest of " + entry + ": " + e);
        }
    }

}
