package io.junitebpf.junit;

import io.junitebpf.bpf.ClasspathResource;
import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.FeatureUnavailableException;
import io.junitebpf.bpf.LibbpfLog;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.ProcessEnvironment;
import io.junitebpf.btf.Btf;
import io.junitebpf.event.EventStream;
import io.junitebpf.target.Umark;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Loads the objects an {@link EbpfTest} names, makes its declared attachments
 * once the test's parameters (and so its targets) exist, and adds what the
 * test saw to its failures. Everything it creates lives in a {@link TestScope}
 * in the JUnit store and closes with it.
 */
final class EbpfExtension implements BeforeAllCallback, BeforeEachCallback, InvocationInterceptor,
        TestExecutionExceptionHandler {

    private static final System.Logger LOG = System.getLogger(EbpfExtension.class.getName());

    @Override
    public void beforeAll(ExtensionContext context) {
        Settings settings = Settings.require(context);
        RuntimeSelection.publish(context);
        if (RuntimeSelection.remote(context)) {
            RuntimeSelection.prepare(context);
            return;
        }
        context.publishReportEntry("junit.ebpf.environment", "Linux " + io.junitebpf.bpf.KernelVersion.release()
                + ", " + io.junitebpf.bpf.Libbpf.system());
        if (settings.lifecycle() == EbpfTest.Lifecycle.PER_CLASS) {
            load(context, settings);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Settings settings = Settings.require(context);
        if (RuntimeSelection.remote(context)) {
            return;
        }
        TestScope.of(context, settings.strict(context));
        if (settings.lifecycle() == EbpfTest.Lifecycle.PER_METHOD) {
            load(context, settings);
        }
        context.getTestInstance().ifPresent(instance -> EbpfParameterResolver.injectFields(instance, context));
    }

    /**
     * Loads the settings' objects into the scope of {@code context}, once: a constructor parameter
     * can ask for them before beforeEach runs.
     */
    static void load(ExtensionContext context, Settings settings) {
        TestScope scope = TestScope.of(context, settings.strict(context));
        if (!scope.markLoaded()) {
            return;
        }
        for (String resource : settings.objects()) {
            byte[] bytes = read(context, resource);
            BpfObject opened = BpfObject.open(bytes, resource);
            LoadedObject loaded;
            Btf btf;
            try {
                prepareSectionTargets(opened);
                btf = Btf.parse(resource, bytes); // before load: a failure here must not strand a loaded object
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            loaded = opened.load();
            scope.addObject(new TestScope.Loaded(resource, loaded, btf));
            LOG.log(System.Logger.Level.DEBUG, () -> "loaded " + resource + " for " + context.getDisplayName());
        }
    }

    /**
     * A uprobe/USDT section naming "umark" without a directory is resolved by
     * libbpf through PATH: build umark and put its directory there first.
     */
    private static void prepareSectionTargets(BpfObject object) {
        boolean wantsUmark = object.programs().stream().map(p -> p.section())
                .anyMatch(s -> (s.startsWith("uprobe/") || s.startsWith("uretprobe/") || s.startsWith("usdt/"))
                        && s.substring(s.indexOf('/') + 1).startsWith("umark:"));
        if (wantsUmark) {
            ProcessEnvironment.prependToPath(Umark.executable().getParent());
        }
    }

    private static byte[] read(ExtensionContext context, String resource) {
        if (resource.isBlank()) {
            throw new ExtensionConfigurationException("@EbpfTest on " + context.getRequiredTestClass().getName()
                    + ": empty object resource name");
        }
        try {
            return ClasspathResource.read(resource, context.getRequiredTestClass().getClassLoader())
                    .orElseThrow(() -> new ExtensionConfigurationException("@EbpfTest on "
                            + context.getRequiredTestClass().getName() + ": no classpath resource '" + resource
                            + "' (is the jar with the .bpf.o on the test classpath? resources are looked up from the "
                            + "classpath root)"));
        } catch (UncheckedIOException e) {
            throw new ExtensionConfigurationException("@EbpfTest: cannot read resource " + resource, e);
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        run(invocation, invocationContext, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext context) throws Throwable {
        run(invocation, invocationContext, context);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
                                          ReflectiveInvocationContext<Method> invocationContext,
                                          ExtensionContext context) throws Throwable {
        hostOrSkip(invocation, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation,
                                         ReflectiveInvocationContext<Method> invocationContext,
                                         ExtensionContext context) throws Throwable {
        hostOrSkip(invocation, context);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation,
                                         ReflectiveInvocationContext<Method> invocationContext,
                                         ExtensionContext context) throws Throwable {
        hostOrSkip(invocation, context);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation,
                                        ReflectiveInvocationContext<Method> invocationContext,
                                        ExtensionContext context) throws Throwable {
        hostOrSkip(invocation, context);
    }

    /** In a remote runtime the lifecycle methods run there, around each test, not here. */
    private static void hostOrSkip(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        if (RuntimeSelection.remote(context)) {
            invocation.skip();
        } else {
            invocation.proceed();
        }
    }

    private void run(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                     ExtensionContext context) throws Throwable {
        if (RuntimeSelection.remote(context)) {
            invocation.skip();
            RemoteExecution.run(context, invocationContext.getExecutable());
            return;
        }
        try (LibbpfLog log = LibbpfLog.capture()) {
            context.getStore(TestScope.NAMESPACE).put(LibbpfLog.class, log);
            try {
                runAttached(invocation, context);
            } catch (Throwable failure) {
                // handleTestExecutionException runs after this scope: keep what libbpf said
                context.getStore(TestScope.NAMESPACE).put(Diagnostics.LOG_LINES_KEY, log.lines());
                throw failure;
            }
        } finally {
            context.getStore(TestScope.NAMESPACE).remove(LibbpfLog.class);
        }
    }

    private static void runAttached(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        Attachments.attachDeclared(context);
        for (TestScope.Launched launched : TestScope.current(context).processes()) {
            if (Targets.releaseAfterAttach(context, launched)) {
                launched.process().release();
            }
        }
        TestScope scope = TestScope.current(context);
        try (AutoCloseable observed = io.junitebpf.target.TargetProcess.observeLaunches(scope::addStarted)) {
            invocation.proceed();
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof FeatureUnavailableException missing && !missing.expected()) {
            // an honest limit of this kernel, found while running: skip with the reason
            throw new TestAbortedException("junit-ebpf: " + missing.getMessage(), missing);
        }
        String diagnostics = Diagnostics.of(context, failure.getMessage());
        if (diagnostics.isEmpty()) {
            throw failure;
        }
        context.publishReportEntry("junit-ebpf", diagnostics);
        // only a plain AssertionError is rebuilt with the diagnostics in its message: richer types
        // (AssertionFailedError's expected/actual, MultipleFailuresError) keep their identity
        if (failure.getClass() == AssertionError.class && !(failure.getMessage() != null
                && failure.getMessage().contains(Diagnostics.HEADER))) {
            String message = failure.getMessage() == null ? "" : failure.getMessage() + "\n";
            AssertionError enriched = new AssertionError(message + diagnostics, failure.getCause());
            enriched.setStackTrace(failure.getStackTrace());
            for (Throwable s : failure.getSuppressed()) {
                enriched.addSuppressed(s);
            }
            throw enriched;
        }
        failure.addSuppressed(new Diagnostics.Report(diagnostics));
        throw failure;
    }

    /** Streams of the current test and its class, for diagnostics. */
    static List<EventStream<?>> streams(ExtensionContext context) {
        return TestScope.chain(context).stream().flatMap(s -> s.streams().stream()).toList();
    }
}
