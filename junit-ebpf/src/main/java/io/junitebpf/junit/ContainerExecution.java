package io.junitebpf.junit;

import io.junitebpf.container.ContainerRuntime;
import io.junitebpf.container.ContainerTestResult;
import io.junitebpf.container.RuntimeDecision;
import io.junitebpf.container.TestRequest;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/** Runs one test method in the class's container and replays its outcome here. */
final class ContainerExecution {

    private ContainerExecution() {
    }

    static void run(ExtensionContext context, Method method) throws Throwable {
        ContainerRuntime runtime = RuntimeSelection.runtime(context);
        ContainerTestResult result = runtime.run(TestRequest.of(context.getRequiredTestClass(), method,
                Optional.of(context.getUniqueId())));
        RuntimeSelection.publish(context);
        runtime.description().ifPresent(d -> context.publishReportEntry("junit.ebpf.container", d));
        for (Map<String, String> entry : result.reportEntries()) {
            if (!entry.containsKey(RuntimeDecision.REPORT_ENTRY_KEY)) { // the inside's "in-process" would mislead
                context.publishReportEntry(entry);
            }
        }
        if (!result.stdout().isEmpty()) {
            System.out.print(result.stdout());
        }
        if (!result.stderr().isEmpty()) {
            System.err.print(result.stderr());
        }
        switch (result.status()) {
            case SUCCESSFUL -> { }
            case ABORTED -> {
                Throwable reason = result.failure().map(ContainerTestResult.Failure::toThrowable).orElse(null);
                if (reason instanceof TestAbortedException aborted) {
                    throw aborted;
                }
                throw new TestAbortedException(reason == null ? "aborted in the container" : reason.getMessage(),
                        reason);
            }
            case FAILED -> throw result.failure().map(ContainerTestResult.Failure::toThrowable)
                    .orElseGet(() -> new AssertionError("failed in the container without a reason"));
        }
    }
}
