package io.junitebpf.container;

/** The container runtime could not do what a test needed; the message says what, why, and what to do. */
public final class ContainerException extends RuntimeException {

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
