package io.junitebpf.target;

/** A target could not be built, started or controlled. The message says what and why. */
public final class TargetException extends RuntimeException {

    public TargetException(String message, Throwable cause) {
        super(message, cause);
    }
}
