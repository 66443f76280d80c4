package io.junitebpf.container;

import io.junitebpf.remote.RemoteTestMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host side of one test JVM serving a runtime container ({@link RemoteTestMain}): started once, then asked
 * for one test at a time over a Unix socket in the exchange directory — no JVM start per test — and told when a test
 * class ends, so that it serves the next class with fresh class statics. A test that does not answer in time, or a
 * JVM that ended, ends the server; the next test starts another.
 */
final class TestServer implements AutoCloseable {

    /** How it went. */
    enum Reply { ANSWERED, JVM_ENDED, TIMED_OUT, CONTAINER_DIED }

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration CONTAINER_CHECK = Duration.ofSeconds(1);
    private static final AtomicLong SERVERS = new AtomicLong();

    private final PrivilegedContainer container;
    private final PrivilegedContainer.Exec exec;
    private final SocketChannel channel;
    private final BufferedReader replies;
    private final Path exchange;
    private ServerTimings.Split lastTimings = ServerTimings.Split.UNKNOWN;

    private TestServer(PrivilegedContainer container, PrivilegedContainer.Exec exec, SocketChannel channel,
                       Path exchange) {
        this.container = container;
        this.exchange = exchange;
        this.exec = exec;
        this.channel = channel;
        this.replies = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code java} (the command up to its class path) running {@link RemoteTestMain} in {@code container},
     * in {@code workingDirectory}, and connects to it once it is ready.
     */
    static TestServer start(PrivilegedContainer container, List<String> java, Path exchange, Path workingDirectory) {
        Path socket = exchange.resolve("serve-" + SERVERS.incrementAndGet() + ".sock");
        List<String> command = new ArrayList<>(java);
        command.add(RemoteTestMain.class.getName());
        command.add(socket.toString());
        PrivilegedContainer.Exec exec = container.start(command, workingDirectory);
        try {
            if (!exec.awaitOutput(RemoteTestMain.READY, STARTUP)) {
                exec.kill();
                throw new ContainerException("container runtime: the test JVM in " + container.description()
                        + " did not start within " + STARTUP.toSeconds() + " s (exit code "
                        + exec.exitCode().map(String::valueOf).orElse("?") + ")" + tail(exec.stderr()), null);
            }
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new TestServer(container, exec, channel, exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exec.kill();
            throw new ContainerException("container runtime: interrupted while starting the test JVM", e);
        } catch (IOException e) {
            exec.kill();
            throw new UncheckedIOException("container runtime: cannot connect to the test JVM at " + socket, e);
        }
    }

    /** Asks for the test in {@code request}, answered in {@code response}, and waits at most {@code timeout}. */
    Reply ask(Path request, Path response, Duration timeout) {
        try {
            channel.write(ByteBuffer.wrap((request + "\t" + response + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Reply.JVM_ENDED;
        }
        CompletableFuture<String> reply = new CompletableFuture<>();
        Thread.ofVirtual().name("junit-ebpf test server reply").start(() -> {
            try {
                reply.complete(replies.readLine());
            } catch (IOException e) {
                reply.complete(null);
            }
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Reply.TIMED_OUT;
                }
                try {
                    // woken by the answer; the slice only notices a container killed under us (whose exec stream
                    // and socket the engine may leave open)
                    String line = reply.get(Math.min(left, CONTAINER_CHECK.toNanos()), TimeUnit.NANOSECONDS);
                    if (line == null) {
                        return Reply.JVM_ENDED;
                    }
                    lastTimings = ServerTimings.Split.parse(line);
                    return Reply.ANSWERED;
                } catch (TimeoutException e) {
                    if (!container.initAlive()) {
                        return Reply.CONTAINER_DIED;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.TIMED_OUT;
        } catch (ExecutionException e) {
            return Reply.JVM_ENDED;
        }
    }

    /** Tells the JVM that the test class is over (it drops the class's loader); false if it is gone. */
    boolean endClass() {
        try {
            channel.write(ByteBuffer.wrap((RemoteTestMain.END + "\n").getBytes(StandardCharsets.UTF_8)));
            return alive();
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the JVM and its container still run. */
    boolean alive() {
        return channel.isOpen() && exec.running() && container.initAlive();
    }

    /** The server side of the last answered test: loader creation and run, in the JVM. */
    ServerTimings.Split lastTimings() {
        return lastTimings;
    }

    PrivilegedContainer container() {
        return container;
    }

    /** The directory of requests, responses and the socket, at the same path on both sides. */
    Path exchange() {
        return exchange;
    }

    /** What the serving JVM printed outside of tests (start-up, logging), and how it ended. */
    String describeEnd() {
        return "the container JVM exited with " + exec.exitCode().map(String::valueOf).orElse("?") + tail(exec.stderr());
    }

    String stdout() {
        return exec.stdout();
    }

    String stderr() {
        return exec.stderr();
    }

    /** Hangs up (the serving JVM exits) and kills it in case a test holds it. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // gone either way
        }
        exec.kill();
    }

    static String tail(String text) {
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            return "";
        }
        List<String> lines = stripped.lines().toList();
        return "; its stderr ends with: " + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
