package io.junitebpf.target;

import java.util.List;
import java.util.Map;

/**
 * Makes a {@link Target} in code, for what constants in an annotation cannot say: a path found
 * at run time (the running JDK's {@code java}), computed arguments or environment. Named by
 * {@code @Launch(factory = MyFactory.class)}; it needs a public no-argument constructor.
 * {@link Umark} is one.
 */
public interface TargetFactory {

    /**
     * The target to launch.
     *
     * @param name        the name the test launches it under ({@code @Launch}'s value)
     * @param arguments   the arguments the test gave (empty when it gave none)
     * @param environment the environment variables the test gave
     */
    Target create(String name, List<String> arguments, Map<String, String> environment);
}
