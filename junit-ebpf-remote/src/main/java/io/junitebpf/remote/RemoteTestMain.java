package io.junitebpf.remote;

import io.junitebpf.junit.spi.TestOutcome.Status;
import io.junitebpf.junit.spi.TestRequest;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The remote side of the protocol (in a container or a VM): runs one test method through the JUnit Platform launcher and writes
 * what happened to a response file. Usage: {@code RemoteTestMain REQUEST_FILE RESPONSE_FILE}.
 *
 * <p>It runs with {@value io.junitebpf.junit.EbpfConfig#RUNTIME_PROPERTY_NAME}=in-process, so the extension loads BPF here
 * instead of asking for another remote runtime. Exit code 0 means a response was written, whatever the test did.
 */
public final class RemoteTestMain {

    private RemoteTestMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: RemoteTestMain REQUEST_FILE RESPONSE_FILE");
            System.exit(2);
        }
        TestRequest request = Exchange.read(Path.of(args[0]));
        Outcome outcome = run(request);
        outcome.write(Path.of(args[1]));
        System.out.flush();
        System.err.flush();
        // test code may leave non-daemon threads behind (target pumps, executors): the answer is written, leave
        System.exit(0);
    }

    /** Runs {@code request} in this JVM through the JUnit Platform launcher. */
    public static Outcome run(TestRequest request) {
        Outcome outcome = new Outcome();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selector(request)).build(), outcome);
        if (!outcome.testFinished && outcome.status == Status.SUCCESSFUL) {
            outcome.status = Status.FAILED;
            outcome.failure = Optional.of(new IllegalStateException("remote runtime: no test matched "
                    + request.displayName() + request.uniqueId().map(id -> " / " + id).orElse("")
                    + " on the remote side (is its class path the test JVM's?)"));
        }
        return outcome;
    }

    private static DiscoverySelector selector(TestRequest request) {
        Optional<String> templateInvocation = request.uniqueId()
                .filter(id -> id.startsWith("[engine:junit-jupiter]") && id.contains("-invocation:"));
        if (templateInvocation.isPresent()) {
            return DiscoverySelectors.selectUniqueId(templateInvocation.get());
        }
        return DiscoverySelectors.selectMethod(request.className(), request.methodName(),
                String.join(",", request.parameterTypeNames()));
    }

    /** Collects the test's outcome; a failing class-level callback counts against the test. */
    public static final class Outcome implements TestExecutionListener {
        Status status = Status.SUCCESSFUL;
        Optional<Throwable> failure = Optional.empty();
        final List<Map<String, String>> reportEntries = new ArrayList<>();
        boolean testFinished;

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
                testFinished = true;
            }
            Status mapped = Status.valueOf(result.getStatus().name());
            // worst wins: FAILED > ABORTED > SUCCESSFUL; the first throwable of that severity is kept
            if (mapped.ordinal() > status.ordinal()) {
                status = mapped;
                failure = result.getThrowable();
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest() || status == Status.SUCCESSFUL) {
                testFinished = true;
                if (status == Status.SUCCESSFUL) {
                    status = Status.ABORTED;
                    failure = Optional.of(new org.opentest4j.TestAbortedException("skipped on the remote side: " + reason));
                }
            }
        }

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            reportEntries.add(entry.getKeyValuePairs());
        }

        /** Writes this outcome as the response file {@code file} ({@link RemoteTestResult#write}). */
        public void write(Path file) throws java.io.IOException {
            RemoteTestResult.write(file, status, failure.map(RemoteTestResult.Failure::of), reportEntries);
        }
    }
}
