package io.junitebpf.junit;

import io.junitebpf.junit.spi.RemoteRuntime;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.Optional;

/**
 * Where a test class's tests run: in this JVM, or — when this JVM cannot load BPF and a {@link RemoteRuntime}
 * can — there. Decided once per class ({@link EbpfTest#runtime()} beats {@value EbpfConfig#RUNTIME_PROPERTY_NAME}
 * beats auto), logged, and published as the report entry {@value RuntimeDecision#REPORT_ENTRY_KEY}.
 */
final class RuntimeSelection {

    private static final System.Logger LOG = System.getLogger(RuntimeSelection.class.getName());
    private static final String DECISION_KEY = RuntimeSelection.class.getName() + ".decision";
    private static final String SESSION_KEY = RuntimeSelection.class.getName() + ".session";

    private RuntimeSelection() {
    }

    /** The decision for the class of {@code context}, made on first use. */
    static RuntimeDecision decide(ExtensionContext context, Settings settings, List<String> inProcessProblems) {
        ExtensionContext classContext = Settings.classContext(context);
        return classContext.getStore(TestScope.NAMESPACE).getOrComputeIfAbsent(DECISION_KEY, k -> {
            EbpfConfig config = EbpfConfig.of(context);
            Optional<String> problem = inProcessProblems.isEmpty() ? Optional.empty()
                    : Optional.of(String.join("; ", inProcessProblems));
            RuntimeDecision decision = RuntimeDecision.choose(settings.runtime(context), problem,
                    name -> RemoteRuntimes.problem(name, config));
            LOG.log(System.Logger.Level.INFO, () -> classContext.getDisplayName() + ": " + decision.describe());
            return decision;
        }, RuntimeDecision.class);
    }

    /** Whether the class of {@code context} runs its tests in a remote runtime. */
    static boolean remote(ExtensionContext context) {
        return decision(context).map(d -> d.choice() == RuntimeDecision.Choice.REMOTE).orElse(false);
    }

    /** Publishes the decision as a report entry of {@code context}. */
    static void publish(ExtensionContext context) {
        decision(context).ifPresent(d -> context.publishReportEntry(RuntimeDecision.REPORT_ENTRY_KEY, d.describe()));
    }

    /** The class's remote session, opened on first use and closed with the class. */
    static RemoteRuntime.Session session(ExtensionContext context) {
        ExtensionContext classContext = Settings.classContext(context);
        String name = decision(context).flatMap(RuntimeDecision::remote).orElseThrow(() ->
                new IllegalStateException("junit-ebpf: " + classContext.getDisplayName() + " runs in-process"));
        return classContext.getStore(TestScope.NAMESPACE).getOrComputeIfAbsent(SESSION_KEY,
                k -> RemoteRuntimes.find(name)
                        .orElseThrow(() -> new ExtensionConfigurationException("junit-ebpf: "
                                + RemoteRuntimes.missing(name)))
                        .open(classContext.getRequiredTestClass().getName(), EbpfConfig.of(context)),
                RemoteRuntime.Session.class);
    }

    private static Optional<RuntimeDecision> decision(ExtensionContext context) {
        return Optional.ofNullable(Settings.classContext(context).getStore(TestScope.NAMESPACE)
                .get(DECISION_KEY, RuntimeDecision.class));
    }
}
