package io.junitebpf.target;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kills what this JVM started when the JVM dies, by any signal, SIGKILL included.
 *
 * <p>One watchdog per JVM: a {@code /bin/sh} reading a pipe whose only writer is
 * this JVM (Java closes every other descriptor in the children it starts). The JVM
 * writes each process to kill and each command to run on its death; when the JVM is
 * gone the kernel closes the pipe, the shell reads end-of-file, sends SIGKILL (then
 * SIGCONT, for stopped processes) to every process still registered and runs every
 * registered command. The watchdog ignores SIGINT, SIGTERM, SIGHUP and SIGQUIT, so a
 * signal to the whole process group (Ctrl-C, a CI job's cancel) does not stop it first.
 *
 * <p>Not {@code PR_SET_PDEATHSIG}: it fires when the creating <em>thread</em> exits, and
 * JUnit's worker threads come and go. Not the children's own pipes either: a child that
 * does not write (a stopped target, {@code sleep}) never sees them break.
 *
 * <p>A process is unregistered when it exits (so its pid, once reused, is never
 * killed); a command when its {@link Registration} is closed. Other modules use
 * {@link #onDeath} for what they start outside this JVM's children, e.g. a container
 * to remove with {@code docker rm -f}.
 */
public final class Reaper {

    private static final System.Logger LOG = System.getLogger(Reaper.class.getName());

    /*
     * Protocol, one line each: "p ID PID" kill PID; "c ID COMMAND" run COMMAND (sh syntax); "d ID" forget ID.
     * Variables p_ID / c_ID hold them; on EOF every ID still set is acted on.
     */
    private static final String SCRIPT = """
            trap '' INT TERM HUP QUIT PIPE
            ids=
            while IFS= read -r line; do
              set -f; set -- $line; set +f
              case $1 in
                p) eval "p_$2=$3"; ids="$ids $2" ;;
                c) rest=${line#c * }; eval "c_$2=\\$rest"; ids="$ids $2" ;;
                d) unset "p_$2" "c_$2" ;;
              esac
            done
            for id in $ids; do
              eval "pid=\\${p_$id-}"
              if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null; kill -CONT "$pid" 2>/dev/null; fi
            done
            for id in $ids; do
              eval "cmd=\\${c_$id-}"
              if [ -n "$cmd" ]; then (eval "$cmd") </dev/null >/dev/null 2>&1; fi
            done
            """;

    private static final AtomicLong IDS = new AtomicLong();
    private static Process watchdog;
    private static OutputStream pipe;

    /** What was registered; closing it unregisters (the process exited, the container was removed). */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private Reaper() {
    }

    /** Kills {@code process} when this JVM dies; unregistered by itself once the process exits. */
    public static Registration kill(ProcessHandle process) {
        Objects.requireNonNull(process, "process");
        Registration registration = send("p", Long.toString(process.pid()));
        process.onExit().thenRun(registration::close);
        return registration;
    }

    /**
     * Runs {@code command} (no shell: each element one argument) when this JVM dies,
     * unless the returned registration was closed first.
     */
    public static Registration onDeath(List<String> command) {
        Objects.requireNonNull(command, "command");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("reaper: empty command (give the program and its arguments)");
        }
        StringBuilder quoted = new StringBuilder();
        for (String argument : command) {
            if (argument.indexOf('\n') >= 0 || argument.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("reaper: command argument " + argument.replace("\n", "\\n")
                        + " contains a newline or NUL (not representable in one line)");
            }
            quoted.append(quoted.isEmpty() ? "" : " ").append('\'').append(argument.replace("'", "'\\''"))
                    .append('\'');
        }
        return send("c", quoted.toString());
    }

    /** The watchdog's pid, for tests. Starts it when needed. */
    public static synchronized long watchdogPid() {
        start();
        return watchdog.pid();
    }

    private static synchronized Registration send(String kind, String argument) {
        long id = IDS.incrementAndGet();
        write(kind + " " + id + " " + argument);
        return new Registration() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (Reaper.class) {
                    if (!closed) {
                        closed = true;
                        write("d " + id);
                    }
                }
            }
        };
    }

    private static void write(String line) {
        start();
        try {
            pipe.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            pipe.flush();
        } catch (IOException e) {
            // the watchdog died (someone killed it): start another; what it held is lost, say so
            LOG.log(System.Logger.Level.WARNING, "reaper: the watchdog (pid " + watchdog.pid() + ") is gone ("
                    + e.getMessage() + "); starting a new one, processes registered before are no longer watched");
            watchdog = null;
            start();
            try {
                pipe.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                pipe.flush();
            } catch (IOException again) {
                throw new TargetException("reaper: cannot write to the watchdog: " + again.getMessage(), again);
            }
        }
    }

    private static void start() {
        if (watchdog != null && watchdog.isAlive()) {
            return;
        }
        try {
            watchdog = new ProcessBuilder("/bin/sh", "-c", SCRIPT, "junit-ebpf-reaper")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new TargetException("reaper: cannot start the watchdog /bin/sh: " + e.getMessage(), e);
        }
        pipe = watchdog.getOutputStream();
    }
}
