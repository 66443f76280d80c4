package io.junitebpf.bpf;

/** libbpf could not be opened, or is too old to use. The message says which and what to do. */
public final class LibbpfUnavailableException extends RuntimeException {

    LibbpfUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
