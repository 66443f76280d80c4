package io.junitebpf.remote;

import java.util.Objects;

/**
* A test failure from a remote runtime (container, VM) whose original throwable could not be rebuilt on the host. It keeps the
 * original class name, message and the remote stack trace text.
 */
public final class RemoteTestException extends RuntimeException {

    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;
    private final String remoteStackTrace;

    RemoteTestException(RemoteTestResult.Failure failure) {
        super(failure.message(), null, false, false);
        this.remoteClassName = Objects.requireNonNull(failure.className());
        this.remoteStackTrace = failure.stackTrace();
    }

    /** The class of the throwable on the remote side. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** Its stack trace as printed on the remote side. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }

    @Override
    public String toString() {
        return remoteClassName + (getMessage() == null ? "" : ": " + getMessage()) + " (in the remote test JVM)";
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
