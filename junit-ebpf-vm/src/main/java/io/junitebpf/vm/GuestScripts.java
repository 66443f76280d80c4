package io.junitebpf.vm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The guest plumbing in bash ({@code guest.sh}, {@code guest-init}, {@code accel.sh}, resources of this jar — the same
 * files scripts/kernel-matrix uses), copied into the cache so that bash can run them: a user's project needs
 * nothing but the jar.
 */
final class GuestScripts {

    private static final List<String> FILES = List.of("guest.sh", "guest-init", "accel.sh");

    /** What a script printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr, boolean timedOut) {

        /** The last lines of stderr (else stdout), for messages. */
        String tail() {
            String text = stderr.isBlank() ? stdout : stderr;
            List<String> lines = text.strip().lines().toList();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
        }
    }

    private final Path dir;

    private GuestScripts(Path dir) {
        this.dir = dir;
    }

    /**
     * The scripts under {@code cache/scripts}, written only where their content differs (guest.sh rebuilds a
     * guest's initramfs when guest-init is newer than it).
     */
    static GuestScripts in(Path cache) {
        Path dir = cache.resolve("scripts");
        try {
            Files.createDirectories(dir);
            for (String name : FILES) {
                byte[] content;
                try (InputStream in = GuestScripts.class.getResourceAsStream(name)) {
                    if (in == null) {
                        throw new VmException("vm runtime: resource io/junitebpf/vm/" + name + " missing from "
                                + "the junit-ebpf-vm jar (a broken build?)", null);
                    }
                    content = in.readAllBytes();
                }
                Path target = dir.resolve(name);
                if (Files.exists(target) && Arrays.equals(Files.readAllBytes(target), content)) {
                    continue;
                }
                Path partial = Files.createTempFile(dir, name, ".partial");
                Files.write(partial, content);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("vm runtime: cannot write the guest scripts to " + dir
                    + " (set " + VmConfig.CACHE_PROPERTY_NAME + " to a writable directory)", e);
        }
        return new GuestScripts(dir);
    }

    /** {@code bash guest.sh ARGS...}, started (for the long-lived boot). */
    ProcessBuilder command(List<String> args) {
        List<String> command = new ArrayList<>(List.of("bash", dir.resolve("guest.sh").toString()));
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /** Runs {@code bash guest.sh ARGS...} to its end, or kills it after {@code timeout}. */
    Result run(List<String> args, Duration timeout) {
        try {
            Path out = Files.createTempFile(dir, "run", ".out");
            Path err = Files.createTempFile(dir, "run", ".err");
            try {
                Process p = command(args).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!finished) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor();
                }
                return new Result(finished ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8), !finished);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("vm runtime: cannot run bash " + dir.resolve("guest.sh")
                    + " (is bash installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException("vm runtime: interrupted while running guest.sh " + args.getFirst(), e);
        }
    }
}
