package io.junitebpf.junit;

import io.junitebpf.junit.spi.RemoteRuntime;
import io.junitebpf.junit.spi.TestOutcome;
import io.junitebpf.junit.spi.TestRequest;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/** Runs one test method in the class's remote runtime and replays its outcome here. */
final class RemoteExecution {

    private RemoteExecution() {
    }

    static void run(ExtensionContext context, Method method) throws Throwable {
        RemoteRuntime.Session session = RuntimeSelection.session(context);
        TestOutcome outcome = session.run(TestRequest.of(context.getRequiredTestClass(), method,
                Optional.of(context.getUniqueId())));
        RuntimeSelection.publish(context);
        context.publishReportEntry("junit.ebpf.remote", outcome.where());
        for (Map<String, String> entry : outcome.reportEntries()) {
            if (!entry.containsKey(RuntimeDecision.REPORT_ENTRY_KEY)) { // the inside's "in-process" would mislead
                context.publishReportEntry(entry);
            }
        }
        if (!outcome.stdout().isEmpty()) {
            System.out.print(outcome.stdout());
        }
        if (!outcome.stderr().isEmpty()) {
            System.err.print(outcome.stderr());
        }
        switch (outcome.status()) {
            case SUCCESSFUL -> { }
            case ABORTED -> {
                Throwable reason = outcome.failure().orElse(null);
                if (reason instanceof TestAbortedException aborted) {
                    throw aborted;
                }
                throw new TestAbortedException(reason == null ? "aborted in " + outcome.where() : reason.getMessage(),
                        reason);
            }
            case FAILED -> throw outcome.failure()
                    .orElseGet(() -> new AssertionError("failed in " + outcome.where() + " without a reason"));
        }
    }
}
