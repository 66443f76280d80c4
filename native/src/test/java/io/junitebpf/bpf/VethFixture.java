package io.junitebpf.bpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A veth pair in this process's network namespace, both ends up, with names no
 * other test (or engineer) uses, deleted on close: enough to attach XDP and tc
 * for real and see them with {@code ip} and {@code tc}. Live traffic through a
 * private namespace is junit-ebpf's NetworkNamespace, tested there.
 */
final class VethFixture implements AutoCloseable {

    final String name;
    final String peer;

    VethFixture() {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        this.name = "jn" + id + "a";
        this.peer = "jn" + id + "b";
        run("ip", "link", "add", name, "type", "veth", "peer", "name", peer);
        run("ip", "link", "set", name, "up");
        run("ip", "link", "set", peer, "up");
    }

    int ifindex() {
        return NetworkInterfaces.index(name).orElseThrow(() -> new IllegalStateException("no interface " + name));
    }

    boolean exists() {
        return NetworkInterfaces.index(name).isPresent();
    }

    /** Deletes the pair now (both ends go), as an interface vanishing under an attachment. */
    void delete() {
        run("ip", "link", "del", name);
    }

    @Override
    public void close() {
        if (exists()) {
            delete();
        }
    }

    /** Runs a command, returns its output, fails on a non-zero exit. */
    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " (iproute2 installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
