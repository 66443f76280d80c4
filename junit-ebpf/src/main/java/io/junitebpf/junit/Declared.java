package io.junitebpf.junit;

import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Member;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The junit-ebpf annotations of test classes and methods, looked up once each. JUnit's search (meta-annotations,
 * repeatable containers) ran for every invocation of a parameterized test, and with a dozen lookups it was a fifth
 * of the extension's cost per invocation (scripts/bench-testrun, second part). Annotations never change, so the
 * answers are kept with the class that declares the element, and go when it is unloaded.
 */
final class Declared {

    private record Key(AnnotatedElement element, Class<? extends Annotation> type) {
    }

    private static final ClassValue<Map<Key, List<? extends Annotation>>> BY_CLASS = new ClassValue<>() {
        @Override
        protected Map<Key, List<? extends Annotation>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Declared() {
    }

    /** {@code AnnotationSupport.findRepeatableAnnotations}, once per element and type. */
    @SuppressWarnings("unchecked")
    static <A extends Annotation> List<A> repeatable(AnnotatedElement element, Class<A> type) {
        return (List<A>) answer(element, type, () -> List.copyOf(AnnotationSupport.findRepeatableAnnotations(element,
                type)));
    }

    /** {@code AnnotationSupport.findAnnotation}, once per element and type. */
    @SuppressWarnings("unchecked")
    static <A extends Annotation> Optional<A> find(AnnotatedElement element, Class<A> type) {
        List<A> found = (List<A>) answer(element, type,
                () -> AnnotationSupport.findAnnotation(element, type).map(List::of).orElse(List.of()));
        return found.stream().findFirst();
    }

    /** Kept with the class declaring a class or member; anything else (a parameter) is looked up each time. */
    private static List<? extends Annotation> answer(AnnotatedElement element, Class<? extends Annotation> type,
                                                     Supplier<List<? extends Annotation>> lookup) {
        Class<?> owner = element instanceof Class<?> c ? c : element instanceof Member m ? m.getDeclaringClass() : null;
        return owner == null ? lookup.get() : BY_CLASS.get(owner).computeIfAbsent(new Key(element, type),
                k -> lookup.get());
    }
}
