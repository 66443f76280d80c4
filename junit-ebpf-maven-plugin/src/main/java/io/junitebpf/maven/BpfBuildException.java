package io.junitebpf.maven;

/** A BPF build step failed: clang missing or too old, a compile error, an object whose BTF cannot map. */
public class BpfBuildException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BpfBuildException(String message) {
        super(message);
    }

    public BpfBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
