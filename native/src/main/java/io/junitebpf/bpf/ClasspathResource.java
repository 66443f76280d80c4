package io.junitebpf.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The one way junit-ebpf reads a classpath resource (BPF objects, C sources of targets): names are looked up from
 * the classpath root, a leading '/' is allowed, and the caller says what a missing resource means in its context.
 */
public final class ClasspathResource {

    private ClasspathResource() {
    }

    /**
     * The bytes of {@code name} through {@code loader} (this library's loader when null), or empty when there is no
     * such resource. A resource that exists but cannot be read is an {@link UncheckedIOException}.
     */
    public static Optional<byte[]> read(String name, ClassLoader loader) {
        Objects.requireNonNull(name, "name");
        String path = name.startsWith("/") ? name.substring(1) : name;
        ClassLoader cl = loader != null ? loader : ClasspathResource.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("read classpath resource " + name, e);
        }
    }
}
