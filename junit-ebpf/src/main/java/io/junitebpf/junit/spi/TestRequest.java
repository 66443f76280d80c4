package io.junitebpf.junit.spi;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One test method for a {@link RemoteRuntime} to run.
 *
 * @param className          the test class's binary name (nested classes with '$')
 * @param methodName         the test method
 * @param parameterTypeNames its parameter types, as {@link Class#getName()}
 * @param uniqueId           the JUnit unique id in the test JVM, if any: it selects one invocation of a template
 *                           (parameterized or repeated test); otherwise the method is selected by name
 */
public record TestRequest(String className, String methodName, List<String> parameterTypeNames,
                          Optional<String> uniqueId) {

    public TestRequest {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(methodName, "methodName");
        parameterTypeNames = List.copyOf(parameterTypeNames);
        Objects.requireNonNull(uniqueId, "uniqueId");
    }

    /** The request for {@code method} of {@code testClass} (which may be a subclass declaring none of it). */
    public static TestRequest of(Class<?> testClass, Method method, Optional<String> uniqueId) {
        return new TestRequest(testClass.getName(), method.getName(),
                Arrays.stream(method.getParameterTypes()).map(Class::getName).toList(), uniqueId);
    }

    /** "ClassName#method(int, java.lang.String)", for messages. */
    public String displayName() {
        return className + "#" + methodName + "(" + String.join(", ", parameterTypeNames) + ")";
    }
}
