package io.junitebpf.target;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to launch: an executable, its arguments, the environment variables it gets on top of
 * the JVM's, and its start gate. A {@link TargetFactory} makes one; {@link #launch()} starts it.
 *
 * @param executable  an absolute path (a built {@link NativeBuild}, a system binary, a JDK's java)
 * @param arguments   its arguments
 * @param environment variables added to (or replacing) the JVM's environment
 * @param gate        how it is held back until released
 */
public record Target(Path executable, List<String> arguments, Map<String, String> environment,
                     TargetProcess.Gate gate) {

    public Target {
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(gate, "gate");
        if (!executable.isAbsolute()) {
            throw new IllegalArgumentException("target " + executable
                    + ": give an absolute path (a relative one would depend on the JVM's working directory)");
        }
        arguments = List.copyOf(arguments);
        for (var e : environment.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().contains("=") || e.getValue() == null) {
                throw new IllegalArgumentException("target " + executable.getFileName()
                        + ": invalid environment variable '" + e.getKey() + "=" + e.getValue() + "'");
            }
        }
        environment = Map.copyOf(environment);
    }

    /** {@code executable} with no arguments, no extra environment, stopped before exec. */
    public static Target of(Path executable) {
        return new Target(executable, List.of(), Map.of(), TargetProcess.Gate.STOPPED);
    }

    /** This target with {@code more} arguments appended. */
    public Target withArguments(List<String> more) {
        List<String> all = new ArrayList<>(arguments);
        all.addAll(more);
        return new Target(executable, all, environment, gate);
    }

    /** This target with {@code name=value} in its environment. */
    public Target withEnvironment(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(environment);
        all.put(name, value);
        return new Target(executable, arguments, all, gate);
    }

    /** This target held by {@code gate}. */
    public Target withGate(TargetProcess.Gate gate) {
        return new Target(executable, arguments, environment, gate);
    }

    /** Starts it, held at its gate. */
    public TargetProcess launch() {
        return TargetProcess.launch(executable, arguments, environment, gate);
    }

    /**
     * Parses {@code NAME=VALUE} pairs, as {@code @Launch(env = ...)} gives them.
     *
     * @throws IllegalArgumentException for a pair without '=' or with an empty name
     */
    public static Map<String, String> parseEnvironment(List<String> pairs) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("environment variable '" + pair + "': give NAME=VALUE");
            }
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return env;
    }
}
