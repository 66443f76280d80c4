package io.junitebpf.junit;

import io.junitebpf.bpf.BpfObject;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Checks {@link ExpectVerifierFailure} before the test and hands it the {@link VerifierRejection}. */
final class VerifierExpectation implements BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(VerifierExpectation.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!RuntimeSelection.remote(context)) {   // a remote runtime checks it where the test runs
            rejection(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == VerifierRejection.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return RuntimeSelection.remote(context) ? null : rejection(context);
    }

    /** Loads once per test, whichever of beforeEach and parameter resolution comes first. */
    private static VerifierRejection rejection(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("rejection", k -> check(context), VerifierRejection.class);
    }

    private static VerifierRejection check(ExtensionContext context) {
        ExpectVerifierFailure expected = context.getRequiredTestMethod().getAnnotation(ExpectVerifierFailure.class);
        if (expected == null || expected.object().isBlank()) {
            throw new ExtensionConfigurationException(context.getDisplayName()
                    + ": VerifierRejection is injected only with @ExpectVerifierFailure(object = \"...\")");
        }
        ClassLoader loader = context.getRequiredTestClass().getClassLoader();
        try (BpfObject spec = BpfObject.openResource(expected.object(), loader)) {
            BpfObjectAssert load = new BpfObjectAssert(spec);
            VerifierRejectionAssert rejected = expected.program().isBlank() ? load.failsVerification()
                    : load.failsVerificationOf(expected.program());
            if (!expected.message().isBlank()) {
                rejected.withMessageMatching(expected.message());
            }
            if (expected.maxProcessedInstructions() > 0) {
                rejected.processedAtMost(expected.maxProcessedInstructions());
            }
            return rejected.rejection();
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("@ExpectVerifierFailure: " + e.getMessage(), e);
        }
    }
}
