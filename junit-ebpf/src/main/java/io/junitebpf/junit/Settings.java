package io.junitebpf.junit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.Optional;

/**
 * What a test class asked for, from {@link EbpfTest} or from a programmatically
 * registered {@link Ebpf} (which wins when both are present).
 *
 * @param objects   classpath resources of the objects to load
 * @param lifecycle when they are loaded and closed
 * @param strict    the leak-check setting
 * @param runtime   where the tests run
 */
record Settings(List<String> objects, EbpfTest.Lifecycle lifecycle, EbpfTest.Strictness strict,
                EbpfTest.Runtime runtime) {

    private static final String KEY = Settings.class.getName();

    static Settings of(EbpfTest test) {
        return new Settings(List.of(test.objects()), test.lifecycle(), test.strict(), test.runtime());
    }

    /** Remembers programmatic settings for the class of {@code context}. */
    static void register(ExtensionContext context, Settings settings) {
        classContext(context).getStore(TestScope.NAMESPACE).put(KEY, settings);
    }

    static Optional<Settings> find(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Settings registered = c.get().getStore(TestScope.NAMESPACE).get(KEY, Settings.class);
            if (registered != null) {
                return Optional.of(registered);
            }
        }
        return context.getTestClass().flatMap(t -> Declared.find(t, EbpfTest.class))
                .map(Settings::of);
    }

    static Settings require(ExtensionContext context) {
        return find(context).orElseThrow(() -> new ExtensionConfigurationException(
                context.getRequiredTestClass().getName() + " uses the junit-ebpf extension without @EbpfTest "
                        + "or a registered Ebpf extension"));
    }

    boolean strict(ExtensionContext context) {
        return switch (strict) {
            case STRICT -> true;
            case LENIENT -> false;
            case DEFAULT -> EbpfConfig.of(context).bool(EbpfConfig.STRICT_PROPERTY_NAME, false);
        };
    }

    /** Where the tests run: the annotation's choice, else {@value EbpfConfig#RUNTIME_PROPERTY_NAME}, else AUTO. */
    EbpfTest.Runtime runtime(ExtensionContext context) {
        if (runtime != EbpfTest.Runtime.DEFAULT) {
            return runtime;
        }
        EbpfTest.Runtime configured = EbpfConfig.of(context).choice(EbpfConfig.RUNTIME_PROPERTY_NAME,
                EbpfTest.Runtime.class, EbpfTest.Runtime.AUTO);
        return configured == EbpfTest.Runtime.DEFAULT ? EbpfTest.Runtime.AUTO : configured;
    }

    /** Whether the runtime was forced to in-process (then a missing privilege fails the test where it bites). */
    boolean forcedInProcess(ExtensionContext context) {
        return runtime(context) == EbpfTest.Runtime.IN_PROCESS;
    }

    /** The context of the test class (a method's parent, or the class itself). */
    static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }
}
