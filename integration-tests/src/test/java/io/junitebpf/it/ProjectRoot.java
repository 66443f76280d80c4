package io.junitebpf.it;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout these tests were built from, found from where their classes
 * live rather than the working directory (the kernel matrix runs them from elsewhere).
 */
final class ProjectRoot {

    private ProjectRoot() {
    }

    static Path get() {
        try {
            Path here = Path.of(ProjectRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = here; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("bpf/pom.xml")) && Files.isDirectory(p.resolve("scripts"))) {
                    return p;
                }
            }
            throw new IllegalStateException("no junit-ebpf checkout above " + here);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
