package io.junitebpf.container;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * One test method to run in the container — the whole request of the protocol.
 *
 * @param className          the test class's binary name (nested classes with '$')
 * @param methodName         the test method
 * @param parameterTypeNames its parameter types, as {@link Class#getName()}
 * @param uniqueId           the JUnit unique id on the host, if any: it selects one invocation of a template
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

    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("class", className);
        p.setProperty("method", methodName);
        p.setProperty("parameterTypes", String.join(",", parameterTypeNames));
        uniqueId.ifPresent(id -> p.setProperty("uniqueId", id));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "junit-ebpf container test request");
        }
    }

    static TestRequest read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String types = p.getProperty("parameterTypes", "");
        return new TestRequest(require(p, "class", file), require(p, "method", file),
                types.isEmpty() ? List.of() : List.of(types.split(",")),
                Optional.ofNullable(p.getProperty("uniqueId")));
    }

    private static String require(Properties p, String key, Path file) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("test request " + file + ": missing '" + key + "'");
        }
        return value;
    }
}
