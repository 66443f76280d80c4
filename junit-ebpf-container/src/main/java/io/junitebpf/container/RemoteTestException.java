package io.junitebpf.container;

import java.util.Objects;

/**
 * A test failure from the container whose original throwable could not be rebuilt on the host. It keeps the
 * original class name, message and the container-side stack trace text.
 */
public final class RemoteTestException extends RuntimeException {

    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;
    private final String remoteStackTrace;

    RemoteTestException(ContainerTestResult.Failure failure) {
        super(failure.message(), null, false, false);
        this.remoteClassName = Objects.requireNonNull(failure.className());
        this.remoteStackTrace = failure.stackTrace();
    }

    /** The class of the throwable in the container. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** Its stack trace as printed in the container. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }

    @Override
    public String toString() {
        return remoteClassName + (getMessage() == null ? "" : ": " + getMessage()) + " (in the container)";
    }

    @Override
    public void printStackTrace(java.io.PrintStream s) {
        s.print(remoteStackTrace);
    }

    @Override
    public void printStackTrace(java.io.PrintWriter s) {
        s.print(remoteStackTrace);
    }
}
