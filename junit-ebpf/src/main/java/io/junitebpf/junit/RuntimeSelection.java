package io.junitebpf.junit;

import io.junitebpf.container.ContainerConfig;
import io.junitebpf.container.ContainerRuntime;
import io.junitebpf.container.DockerEngine;
import io.junitebpf.container.RuntimeDecision;
import io.junitebpf.container.RuntimeMode;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.Optional;

/**
 * Where a test class's eBPF work runs: in this JVM, or — when this JVM cannot
 * load BPF and a Docker engine answers — in a privileged container. Decided
 * once per class (annotation beats property beats environment beats auto),
 * logged, and published as the report entry {@value RuntimeDecision#REPORT_ENTRY_KEY}.
 */
final class RuntimeSelection {

    private static final System.Logger LOG = System.getLogger(RuntimeSelection.class.getName());
    private static final String DECISION_KEY = RuntimeSelection.class.getName() + ".decision";
    private static final String RUNTIME_KEY = RuntimeSelection.class.getName() + ".runtime";

    private RuntimeSelection() {
    }

    /** The decision for the class of {@code context}, made on first use. */
    static RuntimeDecision decide(ExtensionContext context, Settings settings, List<String> inProcessProblems) {
        ExtensionContext classContext = Settings.classContext(context);
        return classContext.getStore(TestScope.NAMESPACE).getOrComputeIfAbsent(DECISION_KEY, k -> {
            ContainerConfig config = config(context, settings);
            Optional<String> problem = inProcessProblems.isEmpty() ? Optional.empty()
                    : Optional.of(String.join("; ", inProcessProblems));
            RuntimeDecision decision = RuntimeDecision.choose(config.runtime(), problem, DockerEngine::problem);
            LOG.log(System.Logger.Level.INFO, () -> classContext.getDisplayName() + ": " + decision.choice() + " — "
                    + decision.reason());
            return decision;
        }, RuntimeDecision.class);
    }

    /** Whether the class of {@code context} runs its tests in a container. */
    static boolean inContainer(ExtensionContext context) {
        RuntimeDecision decision = Settings.classContext(context).getStore(TestScope.NAMESPACE)
                .get(DECISION_KEY, RuntimeDecision.class);
        return decision != null && decision.choice() == RuntimeDecision.Choice.CONTAINER;
    }

    /** Publishes the decision as a report entry of {@code context}. */
    static void publish(ExtensionContext context) {
        RuntimeDecision decision = Settings.classContext(context).getStore(TestScope.NAMESPACE)
                .get(DECISION_KEY, RuntimeDecision.class);
        if (decision != null) {
            context.publishReportEntry(RuntimeDecision.REPORT_ENTRY_KEY,
                    decision.choice().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": "
                            + decision.reason());
        }
    }

    /** The class's container, started on first use and removed with the class. */
    static ContainerRuntime runtime(ExtensionContext context) {
        ExtensionContext classContext = Settings.classContext(context);
        Settings settings = Settings.require(context);
        return classContext.getStore(TestScope.NAMESPACE).getOrComputeIfAbsent(RUNTIME_KEY,
                k -> ContainerRuntime.forTestClass(classContext.getRequiredTestClass().getName(),
                        config(context, settings)), ContainerRuntime.class);
    }

    private static ContainerConfig config(ExtensionContext context, Settings settings) {
        ContainerConfig config = ContainerConfig.resolve(key -> context.getConfigurationParameter(key).orElse(null),
                System::getenv);
        return settings.runtime() == EbpfTest.Runtime.DEFAULT ? config
                : config.withRuntime(RuntimeMode.valueOf(settings.runtime().name()));
    }
}
