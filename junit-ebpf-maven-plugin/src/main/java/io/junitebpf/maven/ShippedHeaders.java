package io.junitebpf.maven;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The headers this plugin ships, written out where clang can include them. */
public final class ShippedHeaders {

    /** {@code junit_ebpf.h} (event and ring-buffer macros) and {@code junit_ebpf_core.h} (CO-RE kernel types). */
    public static final List<String> NAMES = List.of("junit_ebpf.h", "junit_ebpf_core.h");

    private ShippedHeaders() {
    }

    /**
     * Writes the headers into {@code dir}, leaving a file untouched when its content is already right so
     * that its time stamp does not make every object out of date.
     *
     * @return {@code dir}
     */
    public static Path extract(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : NAMES) {
                byte[] content;
                try (InputStream in = ShippedHeaders.class.getResourceAsStream("include/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("junit-ebpf-maven-plugin: header " + name
                                + " missing from the plugin jar");
                    }
                    content = in.readAllBytes();
                }
                Path file = dir.resolve(name);
                if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), content)) {
                    Files.write(file, content);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("compile-bpf: cannot write the shipped headers to " + dir, e);
        }
    }
}
