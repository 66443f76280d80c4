package io.junitebpf.junit;

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
        if (launch.value().equals("umark")) {
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
        TestScope.chain(context).getFirst().addProcess(launched);
        context.getStore(TestScope.NAMESPACE).put(RELEASE_KEY + process.pid(), launch.release());
        return process;
    }

    static boolean releaseAfterAttach(ExtensionContext context, TestScope.Launched launched) {
        return Boolean.TRUE.equals(context.getStore(TestScope.NAMESPACE)
                .get(RELEASE_KEY + launched.process().pid(), Boolean.class));
    }

    /** The binary a declared attachment names: the built umark, or an absolute path. */
    static Path binary(String target, String where) {
        if (target.equals("umark")) {
            return Umark.executable();
        }
        Path path = Path.of(target);
        if (!path.isAbsolute() || !Files.isRegularFile(path)) {
            throw new ExtensionConfigurationException(where + ": target '" + target
                    + "' is neither \"umark\" nor an existing file's absolute path");
        }
        return path;
    }

    /** The pid to limit an attachment to: the test's launched process of that target, or -1 (all). */
    static int pid(ExtensionContext context, String target) {
        return TestScope.chain(context).stream().flatMap(s -> s.processes().stream())
                .filter(l -> l.name().equals(target)).mapToInt(l -> l.process().pid()).findFirst().orElse(-1);
    }
}
