package io.junitebpf.junit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The programmatic form of {@link EbpfTest}, for {@code @RegisterExtension}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Ebpf EBPF = Ebpf.builder().objects("bpf/usdt.bpf.o").strict().build();
 * }</pre>
 *
 * Register it on a static field (objects are loaded in class callbacks). It
 * behaves exactly as the annotation with the same settings.
 */
public final class Ebpf implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback, InvocationInterceptor,
        TestExecutionExceptionHandler, ParameterResolver {

    private final Settings settings;
    private final EnvironmentExtension environment = new EnvironmentExtension();
    private final EbpfExtension loading = new EbpfExtension();
    private final EbpfParameterResolver parameters = new EbpfParameterResolver();

    private Ebpf(Settings settings) {
        this.settings = settings;
    }

    /** Starts a configuration with no objects, per-method lifecycle and the configured strictness. */
    public static Builder builder() {
        return new Builder();
    }

    /** An immutable builder of {@link Ebpf}. */
    public static final class Builder {
        private final List<String> objects = new ArrayList<>();
        private EbpfTest.Lifecycle lifecycle = EbpfTest.Lifecycle.PER_METHOD;
        private EbpfTest.Strictness strict = EbpfTest.Strictness.DEFAULT;
        private EbpfTest.Runtime runtime = EbpfTest.Runtime.DEFAULT;

        private Builder() {
        }

        /** Adds classpath resources of BPF objects to load from memory. */
        public Builder objects(String... resources) {
            for (String resource : resources) {
                Objects.requireNonNull(resource, "resource");
                if (resource.isBlank()) {
                    throw new IllegalArgumentException("Ebpf.builder().objects: empty resource name");
                }
                objects.add(resource);
            }
            return this;
        }

        /** Loads once for the class instead of once per test. */
        public Builder perClass() {
            lifecycle = EbpfTest.Lifecycle.PER_CLASS;
            return this;
        }

        /** Fails tests that leave anything behind. */
        public Builder strict() {
            strict = EbpfTest.Strictness.STRICT;
            return this;
        }

        /** Where the tests run (default: as configured, else auto). */
        public Builder runtime(EbpfTest.Runtime runtime) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
            return this;
        }

        public Ebpf build() {
            return new Ebpf(new Settings(List.copyOf(objects), lifecycle, strict, runtime));
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestClass().map(c -> c.isAnnotationPresent(EbpfTest.class)).orElse(false)) {
            throw new org.junit.jupiter.api.extension.ExtensionConfigurationException(
                    context.getRequiredTestClass().getName() + " has both @EbpfTest and a registered Ebpf "
                            + "extension: use one of them");
        }
        Settings.register(context, settings);
        return environment.evaluateExecutionCondition(context);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Settings.register(context, settings);
        loading.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        loading.beforeEach(context);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        loading.interceptTestMethod(invocation, invocationContext, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext context) throws Throwable {
        loading.interceptTestTemplateMethod(invocation, invocationContext, context);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
                                          ReflectiveInvocationContext<Method> invocationContext,
                                          ExtensionContext context) throws Throwable {
        loading.interceptBeforeEachMethod(invocation, invocationContext, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation,
                                         ReflectiveInvocationContext<Method> invocationContext,
                                         ExtensionContext context) throws Throwable {
        loading.interceptAfterEachMethod(invocation, invocationContext, context);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation,
                                         ReflectiveInvocationContext<Method> invocationContext,
                                         ExtensionContext context) throws Throwable {
        loading.interceptBeforeAllMethod(invocation, invocationContext, context);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation,
                                        ReflectiveInvocationContext<Method> invocationContext,
                                        ExtensionContext context) throws Throwable {
        loading.interceptAfterAllMethod(invocation, invocationContext, context);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        loading.handleTestExecutionException(context, throwable);
    }

    /** Constructor parameters get the test method's context, so per-method objects load for that test. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return parameters.getTestInstantiationExtensionContextScope(rootContext);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameters.supportsParameter(parameterContext, extensionContext);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameters.resolveParameter(parameterContext, extensionContext);
    }

    @Override
    public String toString() {
        return "Ebpf" + settings;
    }
}
