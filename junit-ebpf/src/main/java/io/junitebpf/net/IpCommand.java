package io.junitebpf.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2's {@code ip} (and other tools) as child processes: the extension
 * makes no FFM call, and {@code ip netns exec} does the setns and the /sys
 * remount for us. Failures read "operation: detail (hint)".
 */
final class IpCommand {

    private static final long TIMEOUT_SECONDS = 20;

    private IpCommand() {
    }

    /** The command's standard output; throws with its standard error when it fails. */
    static String run(String operation, List<String> command) {
        List<String> resolved = new java.util.ArrayList<>(command);
        resolved.set(0, tool(command.getFirst()));
        Process process;
        try {
            process = new ProcessBuilder(resolved).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null")
                    .toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException(operation + ": cannot run " + command.getFirst() + " ("
                    + e.getMessage() + ")", e);
        }
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, true));
        String out = read(process, false);
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(operation + ": " + String.join(" ", command) + " did not finish in "
                        + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(operation + ": interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(operation + ": " + String.join(" ", command) + " exited with "
                    + process.exitValue() + ": " + err.join().strip() + hint(err.join()));
        }
        return out;
    }

    /** Root in a container is not enough: namespaces need CAP_SYS_ADMIN, links and addresses CAP_NET_ADMIN. */
    private static String hint(String stderr) {
        boolean denied = stderr.contains("Operation not permitted") || stderr.contains("Permission denied");
        return denied || !"root".equals(System.getProperty("user.name"))
                ? " (network namespaces need CAP_SYS_ADMIN, veth pairs and their addresses CAP_NET_ADMIN; a container "
                + "needs --cap-add SYS_ADMIN --cap-add NET_ADMIN)" : "";
    }

    /**
     * The tool's path: PATH first, then the sbin directories a non-login root shell may lack.
     * Fails naming the Debian package when it is not installed.
     */
    static String tool(String tool) {
        List<String> dirs = new java.util.ArrayList<>(List.of(
                System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        String pkg = switch (tool) {
            case "ip", "tc" -> "iproute2";
            case "ping" -> "iputils-ping";
            default -> tool;
        };
        throw new IllegalStateException("run " + tool + ": not found on PATH (install the Debian package " + pkg
                + ": apt-get install " + pkg + ")");
    }

    private static String read(Process process, boolean error) {
        try {
            return new String((error ? process.getErrorStream() : process.getInputStream()).readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
