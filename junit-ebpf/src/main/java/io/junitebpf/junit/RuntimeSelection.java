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
    private static final String RUNTIME_KEY_PREFIX = RuntimeSelection.class.getName() + ".runtime.";

    private RuntimeSelection() {
    }

    /** The decision for the class of {@code context}, made on first use. */
    static RuntimeDecision decide(ExtensionContext context, Settings settings, List<String> inProcessProblems) {
        ExtensionContext classContext = Settings.classContext(context);
        return classContext.getStore(TestScope.NAMESPACE).getOrComputeIfAbsent(DECISION_KEY, k -> {
            EbpfConfig config = config(context);
            Optional<String> problem = inProcessProblems.isEmpty() ? Optional.empty()
                    : Optional.of(String.join("; ", inProcessProblems));
            Optional<String> kernel = kernel(config);
            RuntimeDecision decision = kernel.isPresent()
                    ? RuntimeDecision.onKernel(kernel.get(), name -> RemoteRuntimes.problem(name, config))
                    : RuntimeDecision.choose(settings.runtime(context), problem,
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

    /**
     * The class's remote session, opened on first use and closed with the class, from the runtime found for the run:
     * kept in the root store, which closes it at the end of the run (so one container can serve every class).
     */
    static RemoteRuntime.Session session(ExtensionContext context) {
        ExtensionContext classContext = Settings.classContext(context);
        String name = decision(context).flatMap(RuntimeDecision::remote).orElseThrow(() ->
                new IllegalStateException("junit-ebpf: " + classContext.getDisplayName() + " runs in-process"));
        return classContext.getStore(TestScope.NAMESPACE).getOrComputeIfAbsent(SESSION_KEY,
                k -> runtimeOfTheRun(context, name).open(classContext.getRequiredTestClass().getName(), config(context)),
                RemoteRuntime.Session.class);
    }

    /**
     * Opens the class's remote session and lets it start its container or VM before the first test; a failure is
     * logged and left to the first test, which tries again and reports it.
     */
    static void prepare(ExtensionContext context) {
        try {
            session(context).prepare();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> Settings.classContext(context).getDisplayName()
                    + ": the remote runtime could not start before the first test (it will try again): " + e);
        }
    }

    private static RemoteRuntime runtimeOfTheRun(ExtensionContext context, String name) {
        return context.getRoot().getStore(TestScope.NAMESPACE).getOrComputeIfAbsent(RUNTIME_KEY_PREFIX + name,
                k -> RemoteRuntimes.find(name).orElseThrow(() -> new ExtensionConfigurationException("junit-ebpf: "
                        + RemoteRuntimes.missing(name))), RemoteRuntime.class);
    }

    /**
     * The configuration for runtimes: JUnit's parameters and the environment, with {@link EbpfTest#kernel()} as
     * {@value EbpfConfig#KERNEL_PROPERTY_NAME} when neither sets that key (the property beats the annotation).
     */
    private static EbpfConfig config(ExtensionContext context) {
        EbpfConfig configured = EbpfConfig.of(context);
        if (configured.string(EbpfConfig.KERNEL_PROPERTY_NAME).isPresent()) {
            return configured;
        }
        Optional<String> annotated = Settings.classContext(context).getTestClass()
                .flatMap(t -> Declared.find(t, EbpfTest.class)).map(EbpfTest::kernel)
                .filter(k -> !k.isBlank());
        return annotated.isEmpty() ? configured : EbpfConfig.of(
                key -> key.equals(EbpfConfig.KERNEL_PROPERTY_NAME) ? annotated.get()
                        : context.getConfigurationParameter(key).orElse(null), System::getenv);
    }

    /** The kernel the class must run on in a VM; empty for this JVM's kernel (unset or "host"). */
    private static Optional<String> kernel(EbpfConfig config) {
        return config.string(EbpfConfig.KERNEL_PROPERTY_NAME).filter(k -> !k.equals("host"));
    }

    private static Optional<RuntimeDecision> decision(ExtensionContext context) {
        return Optional.ofNullable(Settings.classContext(context).getStore(TestScope.NAMESPACE)
                .get(DECISION_KEY, RuntimeDecision.class));
    }
}
