package io.junitebpf.vm;

import java.io.Serial;

/** The VM runtime could not do what a test needed; the message says what, why, and what to do. */
public final class VmException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    VmException(String message, Throwable cause) {
        super(message, cause);
    }
}
