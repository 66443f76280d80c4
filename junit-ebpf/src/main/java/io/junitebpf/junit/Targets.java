package io.junitebpf.junit;

import io.junitebpf.target.NativeBuild;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Launches {@link Launch} targets and resolves the "umark"/path target names of declared attachments. */
final class Targets {

    /** umark's default arguments under test: bounded and fast, yet long enough to attach and observe. */
    static final List<String> UMARK_DEFAULT_ARGS = List.of("--count", "1000", "--interval", "20");

    private static final String RELEASE_KEY = "io.junitebpf.release:";

    private Targets() {
    }

    static TargetProcess launch(ExtensionContext context, Launch launch) {
        TargetProcess process;
        if (!launch.source().isBlank()) {
            Path executable = NativeBuild.ofResource(launch.value(), launch.source(), List.of(launch.cflags()))
                    .executable();
            process = TargetProcess.launch(executable, List.of(launch.args()), TargetProcess.Gate.STOPPED);
        } else if (launch.value().equals("umark")) {
            List<String> args = new ArrayList<>(launch.args().length == 0 ? UMARK_DEFAULT_ARGS
                    : List.of(launch.args()));
            args.add("--gate");
            process = TargetProcess.launch(Umark.executable(), args, TargetProcess.Gate.STDIN_LINE);
        } else {
            Path executable = Path.of(launch.value());
            if (!executable.isAbsolute()) {
                throw new ExtensionConfigurationException("@Launch(\"" + launch.value()
                        + "\"): give \"umark\" or an absolute path to an executable");
            }
            process = TargetProcess.launch(executable, List.of(launch.args()), TargetProcess.Gate.STOPPED);
        }
        TestScope.Launched launched = new TestScope.Launched(launch.value(), process);
        TestScope scope = TestScope.current(context);
        scope.addProcess(launched);
        for (var stream : scope.streams()) {
            stream.producedBy(end(process));
        }
        context.getStore(TestScope.NAMESPACE).put(RELEASE_KEY + process.pid(), launch.release());
        return process;
    }

    /**
     * Runs an attach to a launched target; when it fails because the target is
     * already gone, says so with the target's exit and stderr.
     */
    static void explainDeath(ExtensionContext context, String target, String where, Runnable attach) {
        try {
            attach.run();
        } catch (RuntimeException e) {
            var dead = launched(context, target).filter(p -> !p.isAlive());
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
