package io.junitebpf.target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A launched target process: pid known before it runs, stdout and stderr
 * captured line by line, an optional start gate, and always killed on close.
 *
 * <p>Gates let probes be attached before the target does anything:
 * {@link Gate#STOPPED} works for any executable — a shell stops itself with
 * SIGSTOP and, once continued, execs the target under the same pid;
 * {@link Gate#STDIN_LINE} is for targets that wait for a line on stdin
 * themselves (umark's {@code --gate}).
 */
public final class TargetProcess implements AutoCloseable {

    /** How the target is held back until {@link #release()}. */
    public enum Gate {
        /** No gate: the target runs at once. */
        NONE,
        /** Stopped before exec; released with SIGCONT. Works for any executable. */
        STOPPED,
        /** The target reads one line from stdin before starting (umark {@code --gate}). */
        STDIN_LINE
    }

    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(1);

    private final Path executable;
    private final Process process;
    private final Gate gate;
    // guarded by themselves, not copy-on-write: a copy per line made a chatty target's output
    // quadratic (≈5 KB of garbage per line after 2,000 lines), and the collections it caused
    // paused every event stream's poller
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final java.util.concurrent.CompletableFuture<TargetProcess> exited;
    private boolean released;

    /**
     * Who hears of launches made on this thread (and threads it starts): the extension's strict
     * mode, for the processes a test starts itself. Inheritable, so a launch from a thread the test
     * started counts too — but not one from a fork-join pool thread the observing thread happened to
     * create (JUnit's parallel executor grows its pool from whatever thread runs a test: such a thread
     * later runs other tests, whose launches are not this test's), and none once the observation ended.
     */
    private static final InheritableThreadLocal<LaunchObserver> LAUNCH_LISTENER = new InheritableThreadLocal<>();

    /** Who observes launches, from which thread, and whether still. */
    private record LaunchObserver(java.util.function.Consumer<TargetProcess> listener, Thread origin,
                                  java.util.concurrent.atomic.AtomicBoolean active) {

        void launched(TargetProcess target) {
            Thread current = Thread.currentThread();
            if (active.get() && (current == origin || !(current instanceof java.util.concurrent.ForkJoinWorkerThread))) {
                listener.accept(target);
            }
        }
    }

    private TargetProcess(Path executable, Process process, Gate gate) {
        this.executable = executable;
        this.process = process;
        this.gate = gate;
        // before anything can fail: a target must not outlive this JVM, whatever kills it
        Reaper.kill(process.toHandle());
        this.exited = process.onExit().thenApply(p -> this);
        readers.add(pump(process.getInputStream(), stdout, "stdout"));
        readers.add(pump(process.getErrorStream(), stderr, "stderr"));
    }

    /**
     * Launches {@code executable} with {@code arguments}, held at {@code gate}.
     * With {@link Gate#STOPPED} this returns once the process is stopped.
     */
    public static TargetProcess launch(Path executable, List<String> arguments, Gate gate) {
        return launch(executable, arguments, java.util.Map.of(), gate);
    }

    /**
     * Launches {@code executable} with {@code arguments} and the JVM's environment plus
     * {@code environment} (which wins), held at {@code gate}.
     */
    public static TargetProcess launch(Path executable, List<String> arguments,
                                       java.util.Map<String, String> environment, Gate gate) {
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(gate, "gate");
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new TargetException("launch " + executable + ": " + (Files.exists(executable)
                    ? "not an executable file" : "no such file"), null);
        }
        List<String> command = new ArrayList<>();
        if (gate == Gate.STOPPED) {
            command.addAll(List.of("/bin/sh", "-c", "kill -STOP $$ && exec \"$0\" \"$@\""));
        }
        command.add(executable.toString());
        command.addAll(arguments);
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new TargetException("launch " + executable + ": " + e.getMessage(), e);
        }
        TargetProcess target = new TargetProcess(executable, process, gate);
        if (gate == Gate.STOPPED) {
            target.awaitStopped();
        }
        if (gate == Gate.NONE) {
            target.released = true;
        }
        LaunchObserver observer = LAUNCH_LISTENER.get();
        if (observer != null) {
            observer.launched(target);
        }
        return target;
    }

    /**
     * Tells {@code listener} of every target launched on this thread, and on threads it starts
     * from now on (fork-join pool threads excepted), until the returned handle is closed.
     */
    public static AutoCloseable observeLaunches(java.util.function.Consumer<TargetProcess> listener) {
        Objects.requireNonNull(listener, "listener");
        LaunchObserver previous = LAUNCH_LISTENER.get();
        LaunchObserver observer = new LaunchObserver(listener, Thread.currentThread(),
                new java.util.concurrent.atomic.AtomicBoolean(true));
        LAUNCH_LISTENER.set(observer);
        return () -> {
            observer.active().set(false); // threads that inherited it stop reporting to a closed scope
            LAUNCH_LISTENER.set(previous);
        };
    }

    /** Completes when the process has exited (and been reaped): no polling. */
    public java.util.concurrent.CompletableFuture<TargetProcess> onExit() {
        return exited.copy();
    }

    /** The process id; the same before and after release. */
    public int pid() {
        return (int) process.pid();
    }

    /** The target's executable. */
    public Path executable() {
        return executable;
    }

    /** Lets a gated target run. Idempotent; a no-op without a gate. */
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        switch (gate) {
            case STOPPED -> signal("CONT");
            case STDIN_LINE -> {
                try {
                    OutputStream in = process.getOutputStream();
                    in.write('\n');
                    in.flush();
                } catch (IOException e) {
                    throw new TargetException("release " + this + ": cannot write its stdin (" + e.getMessage()
                            + "); it has probably exited: " + describeExit(), e);
                }
            }
            case NONE -> { }
        }
    }

    /** Whether the process is still running (a stopped process counts as running). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, once exited. */
    public java.util.OptionalInt exitCode() {
        return process.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(process.exitValue());
    }

    /** The lines the target printed on stdout so far. */
    public List<String> stdout() {
        return lines(stdout);
    }

    /** The lines the target printed on stderr so far. */
    public List<String> stderr() {
        return lines(stderr);
    }

    /** Waits for the process to exit by itself. */
    public boolean waitFor(Duration timeout) {
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exited) {
                drainOutput();
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** After exit, waits briefly for the readers, so the output a message quotes is complete. */
    private void drainOutput() {
        try {
            for (Thread reader : readers) {
                reader.join(OUTPUT_DRAIN.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** "exited with 3; stderr: ...", "still running" or "still held at its gate", for failure messages. */
    public String describeExit() {
        if (process.isAlive()) {
            synchronized (this) {
                // the commonest reason a wait for a launched target's events times out
                return released ? "still running" : "still held at its gate, never released (call release() after "
                        + "attaching, or @Launch(release = true))";
            }
        }
        drainOutput();
        List<String> err = stderr();
        return "exited with " + process.exitValue()
                + (err.isEmpty() ? "" : "; stderr: " + String.join(" | ", err.subList(Math.max(0, err.size() - 5),
                err.size())));
    }

    /** Kills the process (and its gate shell) and waits for it. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            // a stopped process only dies of SIGKILL once continued on some kernels; be sure
            signal("CONT");
        }
        try {
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TargetException("kill " + this + ": still alive after SIGKILL", null);
            }
            for (Thread reader : readers) {
                reader.join(STOP_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the pipe is already gone with the process
        }
    }

    private void awaitStopped() {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        Path stat = Path.of("/proc", Integer.toString(pid()), "stat");
        while (System.nanoTime() < deadline) {
            try {
                String text = Files.readString(stat);
                char state = text.charAt(text.lastIndexOf(')') + 2);
                if (state == 'T' || state == 't') {
                    return;
                }
            } catch (IOException e) {
                break;
            }
            Thread.onSpinWait();
        }
        close();
        throw new TargetException("launch " + executable + ": the gate shell did not stop (" + describeExit() + ")",
                null);
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new TargetException("signal " + name + " to " + this + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> lines(List<String> sink) {
        synchronized (sink) {
            return List.copyOf(sink);
        }
    }

    /**
     * A platform thread, not a virtual one: a virtual thread's blocking read of the pipe goes
     * through the JDK's read poller and a carrier thread, three wake-ups per line instead of one,
     * and a chatty target's lines arrive just when its probes' events do (bench-waits: awaitFirst's
     * median latency about 10% lower with platform threads, 3 of 3 alternating runs). It runs in the
     * background ({@link io.junitebpf.bpf.ProcessEnvironment#runCurrentThreadInBackground}): woken with
     * every line, on two cores it made the test's own wait for a probe's event late by up to a
     * millisecond whenever something else held the other core (bench-waits: p99 680-840 µs before,
     * 230-265 µs after).
     */
    private Thread pump(InputStream stream, List<String> sink, String which) {
        Thread thread = Thread.ofPlatform().daemon().name(executable.getFileName() + "-" + which).start(() -> {
            io.junitebpf.bpf.ProcessEnvironment.runCurrentThreadInBackground();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (sink) {
                        sink.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process is gone; what was read is kept
            }
        });
        return thread;
    }

    @Override
    public String toString() {
        return executable.getFileName() + "[pid " + pid() + "]";
    }
}
