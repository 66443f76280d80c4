package io.junitebpf.junit;

import io.junitebpf.bpf.LoadedObject;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.function.Predicate;

/** Finds the loaded object a parameter or annotation refers to, with errors that list what is loaded. */
final class ObjectLookup {

    private ObjectLookup() {
    }

    static List<TestScope.Loaded> all(ExtensionContext context) {
        return TestScope.chain(context).stream().flatMap(s -> s.objects().stream()).toList();
    }

    /**
     * The object named {@code resource}, or when blank the only object, or the
     * only object for which {@code has} holds (e.g. has a program of that name).
     */
    static TestScope.Loaded find(ExtensionContext context, String resource, String what,
                                 Predicate<LoadedObject> has) {
        if (all(context).isEmpty() && context.getTestMethod().isPresent()) {
            // e.g. a constructor parameter, resolved before beforeEach: load now (beforeEach will not again)
            Settings.find(context).filter(s -> s.lifecycle() == EbpfTest.Lifecycle.PER_METHOD)
                    .ifPresent(s -> EbpfExtension.load(context, s));
        }
        List<TestScope.Loaded> loaded = all(context);
        if (loaded.isEmpty()) {
            throw new ExtensionConfigurationException(what + ": no BPF object is loaded (name one in "
                    + "@EbpfTest(objects = ...))");
        }
        if (!resource.isBlank()) {
            return loaded.stream().filter(l -> l.resource().equals(resource) || l.resource().endsWith("/" + resource))
                    .findFirst().orElseThrow(() -> new ExtensionConfigurationException(what + ": object '" + resource
                            + "' is not loaded (loaded: " + names(loaded) + ")"));
        }
        if (loaded.size() == 1) {
            return loaded.getFirst();
        }
        List<TestScope.Loaded> candidates = loaded.stream().filter(l -> has.test(l.object())).toList();
        if (candidates.size() == 1) {
            return candidates.getFirst();
        }
        throw new ExtensionConfigurationException(what + ": " + (candidates.isEmpty() ? "none" : "several")
                + " of the loaded objects match (" + names(loaded) + "); name one with object = \"...\"");
    }

    private static String names(List<TestScope.Loaded> loaded) {
        return String.join(", ", loaded.stream().map(TestScope.Loaded::resource).toList());
    }
}
