package io.junitebpf.junit;

import io.junitebpf.bpf.FeatureUnavailableException;
import io.junitebpf.bpf.KernelFeature;
import io.junitebpf.bpf.KernelFeatures;
import io.junitebpf.bpf.KernelVersion;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether an eBPF test can run here: the preflight (libbpf, privileges,
 * kernel BTF) once per run, then {@link RequiresKernel} and {@link RequiresFeature}.
 * What cannot run is skipped with the reason, or failed when
 * {@value EbpfConfig#UNAVAILABLE_PROPERTY_NAME} is "fail"; a feature the kernel
 * should have had always fails.
 */
final class EnvironmentExtension implements ExecutionCondition {

    /** The unavailable policy. */
    enum Unavailable { SKIP, FAIL }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> missing = new ArrayList<>();
        Optional<Settings> settings = Settings.find(context);
        if (settings.isPresent()) {
            Preflight preflight = Preflight.of(context);
            RuntimeDecision decision = RuntimeSelection.decide(context, settings.get(), preflight.problems());
            switch (decision.choice()) {
                case REMOTE -> {
                    // the remote runtime decides the rest: it has the privileges this JVM lacks
                    return ConditionEvaluationResult.enabled("junit-ebpf: " + decision.reason());
                }
                case SKIP -> missing.add(decision.reason());
                case FAIL -> throw new ExtensionConfigurationException("junit-ebpf: " + decision.reason());
                case IN_PROCESS -> {
                    if (!settings.get().forcedInProcess(context)) {
                        missing.addAll(preflight.problems());
                    }
                }
            }
        }
        Optional<AnnotatedElement> element = context.getElement();
        if (element.isPresent() && missing.isEmpty()) {
            Declared.find(element.get(), RequiresKernel.class).ifPresent(r -> {
                KernelVersion wanted;
                try {
                    wanted = KernelVersion.parse(r.value());
                } catch (IllegalArgumentException e) {
                    throw new ExtensionConfigurationException("@RequiresKernel(\"" + r.value() + "\"): "
                            + e.getMessage());
                }
                KernelVersion running = KernelVersion.running();
                if (running.compareTo(wanted) < 0) {
                    missing.add("needs Linux " + r.value() + "+, running " + running);
                }
            });
            Declared.find(element.get(), RequiresFeature.class).ifPresent(r -> {
                for (KernelFeature feature : r.value()) {
                    try {
                        KernelFeatures.require(feature);
                    } catch (FeatureUnavailableException e) {
                        if (e.expected()) {
                            throw new ExtensionConfigurationException("junit-ebpf: " + e.getMessage()
                                    + ", but this kernel should have it: failing instead of skipping", e);
                        }
                        missing.add(e.getMessage());
                    }
                }
            });
        }
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("junit-ebpf: environment ready");
        }
        String reason = "junit-ebpf: " + String.join("; ", missing);
        if (EbpfConfig.of(context).choice(EbpfConfig.UNAVAILABLE_PROPERTY_NAME, Unavailable.class, Unavailable.SKIP)
                == Unavailable.FAIL) {
            throw new ExtensionConfigurationException(reason + " (and " + EbpfConfig.UNAVAILABLE_PROPERTY_NAME
                    + "=fail)");
        }
        return ConditionEvaluationResult.disabled(reason);
    }
}
