package io.junitebpf.junit.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one test ended in a {@link RemoteRuntime}, for the extension to replay in the test JVM.
 *
 * @param status        how it ended
 * @param failure       why it failed or aborted (absent when successful): the original throwable where it could be
 *                      rebuilt, else one that carries its class name, message and stack trace text
 * @param reportEntries the report entries it published, in order
 * @param stdout        what the test printed on stdout there
 * @param stderr        and on stderr
 * @param duration      wall time seen by the test JVM, start-up of the remote side included
 * @param where         where it ran, for reports ("container 1f2e3d4c5b6a (image ..., --privileged)")
 */
public record TestOutcome(Status status, Optional<Throwable> failure, List<Map<String, String>> reportEntries,
                          String stdout, String stderr, Duration duration, String where) {

    /** As {@code org.junit.platform.engine.TestExecutionResult.Status}, in order of severity. */
    public enum Status { SUCCESSFUL, ABORTED, FAILED }

    public TestOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failure, "failure");
        reportEntries = reportEntries.stream().map(Map::copyOf).toList();
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(where, "where");
    }
}
