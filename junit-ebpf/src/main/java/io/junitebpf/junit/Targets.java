package io.junitebpf.junit;

import io.junitebpf.target.NativeBuild;
import io.junitebpf.target.SharedLibraries;
import io.junitebpf.target.Target;
import io.junitebpf.target.TargetFactory;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Launches {@link Launch} targets and resolves the "umark"/path target names of declared attachments. */
final class Targets {

    private static final String RELEASE_KEY = "io.junitebpf.release:";
    private static final String TARGET_KEY = "io.junitebpf.target:";

    private Targets() {
    }

    static TargetProcess launch(ExtensionContext context, Launch launch) {
        Target target = target(launch);
        TargetProcess process = target.launch();
        context.getStore(TestScope.NAMESPACE).put(TARGET_KEY + process.pid(), target);
        TestScope.Launched launched = new TestScope.Launched(launch.value(), process);
        TestScope scope = TestScope.current(context);
        scope.addProcess(launched);
        for (var stream : scope.streams()) {
            stream.producedBy(end(process));
        }
        context.getStore(TestScope.NAMESPACE).put(RELEASE_KEY + process.pid(), launch.release());
        return process;
    }

    /** What a {@link Launch} names: made by its factory, built from its sources, umark, or a path. */
    static Target target(Launch launch) {
        String where = "@Launch(\"" + launch.value() + "\")";
        Map<String, String> env;
        try {
            env = Target.parseEnvironment(List.of(launch.env()));
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(where + ": " + e.getMessage());
        }
        List<String> args = List.of(launch.args());
        if (launch.factory() != TargetFactory.class) {
            if (!launch.source().isBlank() || launch.libraries().length > 0) {
                throw new ExtensionConfigurationException(where + ": give a factory or a source, not both");
            }
            return create(where, launch.factory(), launch.value(), args, env);
        }
        if (!launch.source().isBlank()) {
            NativeBuild build = NativeBuild.ofResource(launch.value(), launch.source(), List.of(launch.cflags()));
            for (String library : launch.libraries()) {
                build = build.withLibraryResource(library);
            }
            return new Target(build.executable(), args, env, TargetProcess.Gate.STOPPED);
        }
        if (launch.libraries().length > 0) {
            throw new ExtensionConfigurationException(where + ": libraries need a source() to link against");
        }
        if (launch.value().equals("umark")) {
            return create(where, Umark.class, "umark", args, env);
        }
        Path executable = Path.of(launch.value());
        if (!executable.isAbsolute()) {
            throw new ExtensionConfigurationException(where
                    + ": give \"umark\", an absolute path to an executable, a source() or a factory()");
        }
        return new Target(executable, args, env, TargetProcess.Gate.STOPPED);
    }

    private static Target create(String where, Class<? extends TargetFactory> type, String name, List<String> args,
                                 Map<String, String> env) {
        TargetFactory factory;
        try {
            factory = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException(where + ": cannot instantiate factory " + type.getName()
                    + " (it needs a public no-argument constructor and a public class): " + e, e);
        }
        Target target;
        try {
            target = factory.create(name, args, env);
        } catch (RuntimeException e) {
            throw new ExtensionConfigurationException(where + ": factory " + type.getName() + " failed: "
                    + e.getMessage(), e);
        }
        if (target == null) {
            throw new ExtensionConfigurationException(where + ": factory " + type.getName() + " returned null");
        }
        return target;
    }

    /**
     * Runs an attach to a launched target; when it fails because the target is
     * already gone, says so with the target's exit and stderr.
     */
    private static final java.time.Duration EXIT_GRACE = java.time.Duration.ofSeconds(1);

    static void explainDeath(ExtensionContext context, String target, String where, Runnable attach) {
        try {
            attach.run();
        } catch (RuntimeException e) {
            // a target that just exited can still look alive until the JDK has reaped it, and the attach then
            // fails with ESRCH: give such a target a moment to be seen dead
            boolean noSuchProcess = e instanceof io.junitebpf.bpf.BpfException b
                    && b.errno() == io.junitebpf.bpf.Errno.ESRCH;
            var dead = launched(context, target).filter(p -> !p.isAlive() || noSuchProcess && p.waitFor(EXIT_GRACE));
            if (dead.isEmpty()) {
                throw e;
            }
            throw new io.junitebpf.target.TargetException(where + ": target " + dead.get()
                    + " died before it could be attached to: " + dead.get().describeExit(), e);
        }
    }

    /**
     * A target's exit, as its streams' waits see it (noticed by Process.onExit, not by polling):
     * a non-zero status is a death, which stops waits at once; a clean end of a bounded run
     * stops them once every target of the stream has ended.
     */
    static java.util.concurrent.CompletionStage<io.junitebpf.event.EventStream.End> end(TargetProcess process) {
        return process.onExit().thenApplyAsync(p -> {
            int code = p.exitCode().orElse(-1);
            return new io.junitebpf.event.EventStream.End("target " + p + (code != 0 ? " died: " : " ended: ")
                    + p.describeExit(), code != 0);
        });
    }

    static boolean releaseAfterAttach(ExtensionContext context, TestScope.Launched launched) {
        return Boolean.TRUE.equals(context.getStore(TestScope.NAMESPACE)
                .get(RELEASE_KEY + launched.process().pid(), Boolean.class));
    }

    /** The binary a declared attachment names: the built umark, or an absolute path. */
    static Path binary(ExtensionContext context, String target, String where) {
        var launched = launched(context, target);
        if (launched.isPresent()) {
            return launched.get().executable();
        }
        if (target.equals("umark")) {
            return Umark.executable();
        }
        Path path = Path.of(target);
        if (!path.isAbsolute() || !Files.isRegularFile(path)) {
            throw new ExtensionConfigurationException(where + ": target '" + target
                    + "' is not a launched target, \"umark\", or an existing file's absolute path");
        }
        return path;
    }

    /** Where a declared probe lives, and the process (pid, -1 for all; name for messages) it is limited to. */
    record Site(Path binary, int pid, String process) {
    }

    /**
     * Resolves a declared attachment's {@code binary} and {@code process}. Both blank: the
     * deprecated {@code target} says both. {@code process} is a launched target's name or
     * {@code "*"} (all processes); blank, it is {@code target}'s launched process if there is
     * one, else all. {@code binary} is an absolute path, a launched target's name (its
     * executable), or a shared library's file name as the process loads it; blank, the
     * process's executable.
     */
    static Site site(ExtensionContext context, String binary, String process, String target, String where) {
        if (binary.isBlank() && process.isBlank()) {
            return new Site(binary(context, target, where), pid(context, target), target);
        }
        String name = process.isBlank() ? target : process;
        java.util.Optional<TargetProcess> launched = name.equals("*") ? java.util.Optional.empty()
                : launched(context, name);
        if (!process.isBlank() && !process.equals("*") && launched.isEmpty()) {
            throw new ExtensionConfigurationException(where + ": process '" + process
                    + "' is not a target this test launched (launched: " + TestScope.chain(context).stream()
                    .flatMap(s -> s.processes().stream()).map(TestScope.Launched::name).toList()
                    + "); name a @Launch value, or \"*\" for all processes");
        }
        Path file;
        if (binary.isBlank()) {
            if (name.equals("*")) {
                throw new ExtensionConfigurationException(where + ": process \"*\" needs a binary");
            }
            file = launched.map(TargetProcess::executable).orElseGet(() -> binary(context, name, where));
        } else if (binary.contains("/")) {
            file = Path.of(binary);
            if (!file.isAbsolute() || !Files.isRegularFile(file)) {
                throw new ExtensionConfigurationException(where + ": binary '" + binary
                        + "' is not an existing file's absolute path");
            }
        } else if (launched(context, binary).isPresent()) {
            file = launched(context, binary).get().executable();
        } else if (launched.isPresent()) {
            TargetProcess p = launched.get();
            Target spec = context.getStore(TestScope.NAMESPACE).get(TARGET_KEY + p.pid(), Target.class);
            try {
                file = SharedLibraries.resolve(binary, p.executable(), spec == null ? Map.of() : spec.environment(),
                        p.pid());
            } catch (RuntimeException e) {
                throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
            }
        } else {
            throw new ExtensionConfigurationException(where + ": binary '" + binary
                    + "' is a library name, found through a launched process: name one with process = ..."
                    + ", or give the library's absolute path");
        }
        return new Site(file, launched.map(TargetProcess::pid).orElse(-1), name);
    }

    /** The pid to limit an attachment to: the test's launched process of that target, or -1 (all). */
    static int pid(ExtensionContext context, String target) {
        return launched(context, target).map(TargetProcess::pid).orElse(-1);
    }

    /** The process the test (or its class) launched under {@code target}'s name, the first if several. */
    private static java.util.Optional<TargetProcess> launched(ExtensionContext context, String target) {
        return TestScope.chain(context).stream().flatMap(s -> s.processes().stream())
                .filter(l -> l.name().equals(target)).map(TestScope.Launched::process).findFirst();
    }
}
