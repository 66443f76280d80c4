package io.junitebpf.vm;

import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.spi.TestRequest;
import io.junitebpf.remote.Exchange;
import io.junitebpf.remote.RemoteTestResult;
import io.junitebpf.remote.TestClassPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One QEMU guest booted with one kernel, and the long-lived JVM in it ({@link GuestTestServer}) that runs the tests
 * sent to it one after the other. The guest sees the host root read-only over 9p (class path, JDK and working
 * directory at their host paths), tmpfs on /tmp and as HOME, and an exchange directory shared read-write at the
 * same absolute path: request-N.properties in, response-N.properties (with the test's output) out.
 *
 * <p>Booted on the first {@link #run}, booted again if it died, stopped by {@link #close()}.
 */
final class Guest implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Guest.class.getName());
    private static final Duration POLL = Duration.ofMillis(10);

    private final VmConfig config;
    private final GuestScripts scripts;
    private final Path guestDir;
    private final Guests.AccelChoice accel;
    private Process boot;
    private Path exchange;
    private String description;
    private VmException bootFailure;
    private long requests;

    Guest(VmConfig config, GuestScripts scripts, Path guestDir, Guests.AccelChoice accel) {
        this.config = config;
        this.scripts = scripts;
        this.guestDir = guestDir;
        this.accel = accel;
    }

    /**
     * Runs one test in the guest. A guest that cannot boot throws {@link VmException} (for this and every later
     * test: one failed boot is enough); a guest or JVM that dies or hangs while the test runs gives a FAILED result.
     */
    synchronized RemoteTestResult run(TestRequest request) {
        long started = System.nanoTime();
        ensureBooted();
        long n = ++requests;
        Path requestFile = exchange.resolve("request-" + n + ".properties");
        Path responseFile = exchange.resolve("response-" + n + ".properties");
        try {
            Path partial = exchange.resolve("request-" + n + ".partial");
            Exchange.write(request, partial);
            Files.move(partial, requestFile, StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + config.testTimeout().toNanos();
            while (!Files.exists(responseFile)) {
                String what = null;
                if (!boot.isAlive()) {
                    what = "was cut short: the guest stopped (" + consoleTail() + ")";
                } else if (System.nanoTime() > deadline) {
                    what = "did not finish within " + config.testTimeout() + " ("
                            + VmConfig.TEST_TIMEOUT_PROPERTY_NAME + "); the guest was stopped";
                }
                if (what != null) {
                    String where = description;
                    RemoteTestResult failed = RemoteTestResult.failed(new VmException("vm runtime: "
                            + request.displayName() + " " + what, null), "", "", since(started),
                            where);
                    stop();
                    return failed;
                }
                Thread.sleep(POLL);
            }
            return RemoteTestResult.read(responseFile, since(started), description);
        } catch (IOException e) {
            throw new UncheckedIOException("vm runtime: exchange with " + description + " via " + exchange, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException("vm runtime: interrupted while " + request.displayName() + " ran", e);
        } finally {
            for (Path p : List.of(requestFile, responseFile)) {
                deleteQuietly(p);
            }
        }
    }

    /** "vm: Linux 6.1.0-50-amd64 (tcg)", once booted. */
    synchronized Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** Stops the guest: asks its JVM to leave (the guest then powers off), else kills QEMU. Idempotent. */
    @Override
    public synchronized void close() {
        stop();
    }

    private void ensureBooted() {
        if (bootFailure != null) {
            throw bootFailure;
        }
        if (boot != null && boot.isAlive()) {
            return;
        }
        if (boot != null) {
            LOG.log(System.Logger.Level.WARNING, "vm runtime: {0} stopped ({1}); booting another", description,
                    consoleTail());
            stop();
        }
        try {
            bootGuest();
        } catch (VmException e) {
            bootFailure = e;
            stop();
            throw e;
        }
    }

    private void bootGuest() {
        String kernel = config.kernel().name();
        long started = System.nanoTime();
        try {
            Path runs = Files.createDirectories(config.cache().resolve("run"));
            removeOrphans(runs);
            exchange = Files.createTempDirectory(runs, "guest-" + ProcessHandle.current().pid() + "-").toRealPath();
            Files.createDirectories(exchange.resolve("guest"));
            writeRunScript(exchange.resolve("guest"));
            boot = scripts.command(List.of("boot", guestDir.toString(), exchange.toString(), "guest",
                            exchange.resolve("serial.log").toString(), config.memory(), String.valueOf(config.cpus()),
                            accel.accel(), accel.cpu(), exchange.resolve("qemu.pid").toString(),
                            String.valueOf(ProcessHandle.current().pid())))
                    .redirectErrorStream(true).redirectOutput(exchange.resolve("boot.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            long deadline = started + config.bootTimeout().toNanos();
            while (!Files.exists(exchange.resolve("ready"))) {
                if (Files.exists(exchange.resolve("no-btf"))) {
                    throw new VmException("vm runtime: kernel " + kernel + " (Linux " + read(exchange.resolve("release"))
                            .strip() + ") has no /sys/kernel/btf/vmlinux, and CO-RE programs need it (build the kernel "
                            + "with CONFIG_DEBUG_INFO_BTF=y or pick another)", null);
                }
                if (!boot.isAlive()) {
                    throw new VmException("vm runtime: the guest with kernel " + kernel + " stopped while booting ("
                            + consoleTail() + ")", null);
                }
                if (System.nanoTime() > deadline) {
                    throw new VmException("vm runtime: the guest with kernel " + kernel + " was not ready within "
                            + config.bootTimeout() + " (" + VmConfig.BOOT_TIMEOUT_PROPERTY_NAME + "; "
                            + consoleTail() + ")", null);
                }
                Thread.sleep(POLL);
            }
        } catch (IOException e) {
            throw new VmException("vm runtime: cannot boot kernel " + kernel + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException("vm runtime: interrupted while booting kernel " + kernel, e);
        }
        description = "vm: Linux " + read(exchange.resolve("release")).strip() + " (" + accel.accel() + ")";
        // the guest's uptime when its init handed over: kernel boot and init; the rest until ready is the guest JVM
        LOG.log(System.Logger.Level.INFO, "vm runtime: {0} ready for tests {1} ms after QEMU started (kernel and "
                + "init took {2} s of it; {3})", description, (System.nanoTime() - started) / 1_000_000,
                read(exchange.resolve("uptime-at-init")).strip(), exchange);
    }

    /** Exchange directories of test JVMs that were killed (their guests stopped themselves: guest.sh boot). */
    private static void removeOrphans(Path runs) {
        try (Stream<Path> dirs = Files.list(runs)) {
            for (Path dir : dirs.toList()) {
                String[] parts = dir.getFileName().toString().split("-");
                if (parts.length >= 3 && parts[0].equals("guest") && parts[1].matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(parts[1])).isEmpty()) {
                    deleteTree(dir);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "vm runtime: cannot list " + runs + ": " + e);
        }
    }

    /** guest-init runs guest/run.sh with bash in the guest's view of the host root. */
    private void writeRunScript(Path dir) throws IOException {
        List<String> jvm = new ArrayList<>();
        jvm.add("--enable-native-access=ALL-UNNAMED");
        if (accel.accel().equals("tcg")) {
            jvm.add("-XX:TieredStopAtLevel=1");  // C2's code is expensive to translate under TCG
        }
        jvm.add("-Djava.io.tmpdir=/tmp");
        jvm.add("-D" + EbpfConfig.RUNTIME_PROPERTY_NAME + "=in-process");
        jvm.add("-D" + EbpfConfig.KERNEL_PROPERTY_NAME + "=host");
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith(EbpfConfig.PREFIX) && !k.equals(EbpfConfig.RUNTIME_PROPERTY_NAME)
                        && !k.equals(EbpfConfig.KERNEL_PROPERTY_NAME)
                        && !k.equals(EbpfConfig.SIMULATE_UNPRIVILEGED_PROPERTY_NAME)
                        && !k.startsWith("junit.ebpf.vm.") && !k.startsWith("junit.ebpf.container."))
                .forEach(k -> jvm.add("-D" + k + "=" + System.getProperty(k)));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.equals("-ea")
                        || a.equals("-enableassertions"))
                .forEach(jvm::add);
        // no AppCDS archive: CDS refuses class paths with directories (target/classes), which test runs have
        jvm.add("-Xshare:auto");
        jvm.add("-cp");
        jvm.add(String.join(":", guestClassPath(dir).stream().map(Path::toString).toList()));
        jvm.add(GuestTestServer.class.getName());
        jvm.add(exchange.toString());
        StringBuilder args = new StringBuilder();
        for (String a : jvm) {  // a java @argfile: one quoted argument per line
            args.append('"').append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        Files.writeString(dir.resolve("jvm.args"), args);
        String cwd = Path.of("").toAbsolutePath().toString();
        Files.writeString(dir.resolve("run.sh"), """
                #!/bin/bash
                # written by the junit-ebpf VM runtime; guest-init runs it in the guest
                d=%s
                export JAVA_HOME=%s LANG=C.UTF-8 HOME=/tmp/home
                export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                mkdir -p "$HOME"
                uname -r > "$d/release"
                cut -d' ' -f1 /proc/uptime > "$d/uptime-at-init"
                if [ ! -e /sys/kernel/btf/vmlinux ]; then
                  echo "/sys/kernel/btf/vmlinux is missing" > "$d/no-btf"
                  exit 3
                fi
                cd %s 2>/dev/null || cd /
                exec "$JAVA_HOME/bin/java" @"$d/guest/jvm.args" > "$d/server.log" 2>&1 < /dev/null
                """.formatted(quote(exchange.toString()), quote(config.javaHome().toString()), quote(cwd)),
                StandardCharsets.UTF_8);
    }

    /**
     * The test JVM's class path as the guest sees it: entries under /tmp, /run and /dev (the guest's own there) are
     * copied into the exchange directory.
     */
    private List<Path> guestClassPath(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        int staged = 0;
        for (Path entry : TestClassPath.entries()) {
            String s = entry.toString();
            if (!(s.startsWith("/tmp/") || s.startsWith("/run/") || s.startsWith("/dev/"))) {
                entries.add(entry);
                continue;
            }
            Path target = dir.resolve("classpath").resolve(String.valueOf(staged++)).resolve(entry.getFileName());
            try (Stream<Path> tree = Files.walk(entry)) {
                for (Path p : tree.toList()) {
                    Path copy = target.resolve(entry.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.createDirectories(copy.getParent());
                        Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            entries.add(target);
        }
        return entries;
    }

    private void stop() {
        Process p = boot;
        boot = null;
        if (p != null && exchange != null) {
            try {
                Files.writeString(exchange.resolve("stop"), "stop\n");
                if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroy();  // the boot script's trap kills QEMU
                    if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                        killQemu();
                        p.destroyForcibly();
                    }
                }
            } catch (IOException e) {
                p.destroy();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                killQemu();
                p.destroyForcibly();
            }
        }
        killQemu();
        if (exchange != null) {
            deleteTree(exchange);
            exchange = null;
        }
    }

    private void killQemu() {
        if (exchange == null) {
            return;
        }
        String pid = read(exchange.resolve("qemu.pid")).strip();
        if (pid.matches("\\d+")) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The end of QEMU's and the guest console's output, for messages. */
    private String consoleTail() {
        if (exchange == null) {
            return "no output";
        }
        List<String> parts = new ArrayList<>();
        for (String name : List.of("boot.log", "serial.log", "server.log")) {
            List<String> lines = read(exchange.resolve(name)).strip().lines().filter(l -> !l.isBlank()).toList();
            if (!lines.isEmpty()) {
                parts.add(name + ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
            }
        }
        return parts.isEmpty() ? "no output" : String.join("; ", parts);
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the exchange directory goes with the guest anyway
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> tree = Files.walk(root)) {
            tree.sorted(Comparator.reverseOrder()).forEach(Guest::deleteQuietly);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
