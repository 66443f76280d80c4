package io.junitebpf.container;

import java.io.Serial;

/** The container runtime could not do what a test needed; the message says what, why, and what to do. */
public final class ContainerException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
