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
        return find().orElseThrow(() -> new IllegalStateException("no junit-ebpf checkout above " + here()));
    }

    /** Empty where the checkout is not visible (the container runtime mounts only the class path). */
    static java.util.Optional<Path> find() {
        for (Path p = here(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bpf/pom.xml")) && Files.isDirectory(p.resolve("scripts"))) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    private static Path here() {
        try {
            return Path.of(ProjectRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
