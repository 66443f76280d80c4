package io.junitebpf.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.junitebpf.target.Reaper;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One long-lived runtime container started with Testcontainers: {@code sleep infinity} in the host's pid
 * namespace (BPF reports host pids, so a target's pid must mean the same on both sides), with the given
 * paths bind-mounted at their host paths, labelled for {@link ContainerReaper}, under a privilege profile.
 * Work runs in it through {@code docker exec} ({@link #start}).
 */
final class PrivilegedContainer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PrivilegedContainer.class.getName());
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXEC_POLL = Duration.ofSeconds(1);

    private final GenericContainer<?> container;
    private final DockerClient client;
    private final String image;
    private final String profile;
    private final String fallback;
    private final Optional<ProcessHandle> init;
    /** Removes the container if this JVM dies before {@link #close()} (SIGKILL, a fork timeout). */
    private final Optional<Reaper.Registration> onDeath;

    private PrivilegedContainer(GenericContainer<?> container, String image, String profile, String fallback) {
        this.container = container;
        this.client = container.getDockerClient();
        Long pid = container.getContainerInfo().getState().getPidLong();
        // empty when the engine is remote: its pids mean nothing here
        this.init = pid == null ? Optional.empty() : ProcessHandle.of(pid);
        this.image = image;
        this.profile = profile;
        this.fallback = fallback;
        this.onDeath = removeOnDeath(container.getContainerId());
    }

    /**
     * The JVM-death watchdog runs {@code docker rm -f} where the docker CLI is installed; elsewhere the next JVM's
     * {@link ContainerReaper} removes the container by its label.
     */
    private static Optional<Reaper.Registration> removeOnDeath(String id) {
        boolean cli = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "docker")));
        return id == null || !cli ? Optional.empty() : Optional.of(Reaper.onDeath(List.of("docker", "rm", "-f", id)));
    }

    /**
     * Starts a container of {@code image} under {@code privileges}; with {@link PrivilegeProfile#AUTO} a refused
     * {@code --privileged} falls back to the capability profile, which {@link #description()} then says.
     *
     * @param readOnly  host paths mounted read-only at the same path (class path, JDK)
     * @param readWrite host paths mounted read-write at the same path (the request/response directory)
     */
    static PrivilegedContainer start(String image, PrivilegeProfile privileges, String testClass,
                                     List<Path> readOnly, List<Path> readWrite) {
        return switch (privileges) {
            case PRIVILEGED -> startPrivileged(image, testClass, readOnly, readWrite)
                    .orElseThrow(refusal -> refused(image, "--privileged", refusal, ""));
            case CAPABILITIES -> startWithCapabilities(image, testClass, readOnly, readWrite, "");
            case AUTO -> {
                Start privileged = startPrivileged(image, testClass, readOnly, readWrite);
                if (privileged.container != null) {
                    yield privileged.container;
                }
                String why = "the engine refused --privileged (" + privileged.refusal + ")";
                LOG.log(System.Logger.Level.WARNING, why + "; falling back to the capability profile");
                yield startWithCapabilities(image, testClass, readOnly, readWrite, why);
            }
        };
    }

    /** "container 1f2e3d4c5b6a (image junit-ebpf-runtime:bookworm, --cap-add SYS_ADMIN ...; the engine refused ...)". */
    String description() {
        return "container " + shortId() + " (image " + image + ", " + profile
                + (fallback.isEmpty() ? "" : "; " + fallback) + ")";
    }

    String shortId() {
        String id = container.getContainerId();
        return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
    }

    String id() {
        return container.getContainerId();
    }

    /** Starts {@code command} in the container in {@code workingDirectory} and returns at once. */
    Exec start(List<String> command, Path workingDirectory) {
        String execId = client.execCreateCmd(id()).withCmd(command.toArray(String[]::new))
                .withWorkingDir(workingDirectory.toString())
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        Exec exec = new Exec(execId);
        client.execStartCmd(execId).exec(exec.callback);
        return exec;
    }

    /** Whether the container's init process (a process of this host: the pid namespace is shared) still runs. */
    boolean initAlive() {
        return init.map(ProcessHandle::isAlive).orElse(true);
    }

    /** A process started in the container with {@link #start}: its output so far, its end, a way to kill it. */
    final class Exec {
        private final String execId;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final CountDownLatch ended = new CountDownLatch(1);
        private final ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    (frame.getStreamType() == com.github.dockerjava.api.model.StreamType.STDERR ? err : out)
                            .writeBytes(frame.getPayload());
                    out.notifyAll();
                }
            }

            @Override
            public void onError(Throwable throwable) {
                end();
            }

            @Override
            public void onComplete() {
                end();
            }
        };

        private Exec(String execId) {
            this.execId = execId;
        }

        private void end() {
            synchronized (out) {
                ended.countDown();
                out.notifyAll();
            }
        }

        /** Waits until stdout holds {@code marker} (true), or the process ended or {@code timeout} passed (false). */
        boolean awaitOutput(String marker, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (out) {
                while (!out.toString(StandardCharsets.UTF_8).contains(marker)) {
                    long left = deadline - System.nanoTime();
                    if (ended.getCount() == 0 || left <= 0 || !initAlive()) {
                        return false;
                    }
                    // woken by each frame and by the end; the slice only notices a container killed under us
                    TimeUnit.NANOSECONDS.timedWait(out, Math.min(left, EXEC_POLL.toNanos()));
                }
                return true;
            }
        }

        /** Whether the process still runs, as far as its output stream tells. */
        boolean running() {
            return ended.getCount() > 0;
        }

        String stdout() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String stderr() {
            synchronized (out) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        /** The exit code once it ended; empty while it runs or when the container is gone. */
        Optional<Long> exitCode() {
            try {
                return Optional.ofNullable(client.inspectExecCmd(execId).exec().getExitCodeLong());
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        }

        /** Kills the process if it still runs, and stops reading its output. */
        void kill() {
            try {
                var inspected = client.inspectExecCmd(execId).exec();
                if (Boolean.TRUE.equals(inspected.isRunning()) && inspected.getPidLong() != null) {
                    // the container shares the host pid namespace: the exec's pid is valid inside it too
                    killQuietly(inspected.getPidLong());
                }
            } catch (NotFoundException e) {
                // the container is gone with its execs
            }
            try {
                callback.close();
            } catch (java.io.IOException e) {
                // the stream is gone either way
            }
        }
    }

    /** Whether the container still runs; empty when it does, else how it ended. */
    Optional<String> death() {
        try {
            InspectContainerResponse.ContainerState state = client.inspectContainerCmd(id()).exec().getState();
            if (Boolean.TRUE.equals(state.getRunning())) {
                return Optional.empty();
            }
            return Optional.of(description() + " is no longer running: status " + state.getStatus()
                    + ", exit code " + state.getExitCodeLong()
                    + (Boolean.TRUE.equals(state.getOOMKilled()) ? ", killed for lack of memory" : "")
                    + (state.getError() == null || state.getError().isBlank() ? "" : ", error " + state.getError())
                    + ", finished at " + state.getFinishedAt());
        } catch (NotFoundException e) {
            return Optional.of(description() + " was removed");
        }
    }

    /** Stops and removes the container. Idempotent. */
    @Override
    public void close() {
        String id = container.getContainerId();
        try {
            container.stop();
        } finally {
            if (id != null) {
                ContainerReaper.remove(client, id);
            }
            onDeath.ifPresent(Reaper.Registration::close);
        }
    }

    private void killQuietly(long pid) {
        try {
            String execId = client.execCreateCmd(id()).withCmd("kill", "-9", Long.toString(pid)).exec().getId();
            client.execStartCmd(execId).exec(new ResultCallback.Adapter<>()).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (RuntimeException | InterruptedException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot kill pid " + pid + " in " + description() + ": " + e);
        }
    }

    /** A started container, or why the engine refused. */
    private record Start(PrivilegedContainer container, String refusal) {
        PrivilegedContainer orElseThrow(java.util.function.Function<String, ContainerException> error) {
            if (container == null) {
                throw error.apply(refusal);
            }
            return container;
        }
    }

    private static Start startPrivileged(String image, String testClass, List<Path> readOnly, List<Path> readWrite) {
        GenericContainer<?> c = base(image, testClass, readOnly, readWrite).withPrivilegedMode(true);
        return attempt(c, image, "--privileged", "");
    }

    private static PrivilegedContainer startWithCapabilities(String image, String testClass, List<Path> readOnly,
                                                             List<Path> readWrite, String fallback) {
        // CAP_BPF and CAP_PERFMON (Linux 5.8) where the engine knows the names; CAP_SYS_ADMIN implies both.
        // CAP_NET_ADMIN in either case: network namespaces, veth pairs, XDP and tc (io.junitebpf.net).
        Start fine = attempt(capabilities(image, testClass, readOnly, readWrite, Capability.BPF, Capability.PERFMON,
                        Capability.NET_ADMIN),
                image, "capability profile: --cap-add BPF --cap-add PERFMON --cap-add NET_ADMIN", fallback);
        if (fine.container != null) {
            return fine.container;
        }
        if (!fine.refusal.toLowerCase(java.util.Locale.ROOT).contains("capabilit")) {
            throw refused(image, "the capability profile", fine.refusal, fallback);
        }
        LOG.log(System.Logger.Level.INFO, "the engine does not know CAP_BPF/CAP_PERFMON (" + fine.refusal
                + "); using CAP_SYS_ADMIN");
        return attempt(capabilities(image, testClass, readOnly, readWrite, Capability.SYS_ADMIN, Capability.NET_ADMIN),
                image, "capability profile: --cap-add SYS_ADMIN --cap-add NET_ADMIN (the engine does not know CAP_BPF)",
                fallback)
                .orElseThrow(refusal -> refused(image, "the capability profile", refusal, fallback));
    }

    private static GenericContainer<?> capabilities(String image, String testClass, List<Path> readOnly,
                                                    List<Path> readWrite, Capability... caps) {
        return base(image, testClass, readOnly, readWrite).withCreateContainerCmdModifier(cmd -> {
            HostConfig host = cmd.getHostConfig();
            host.withCapAdd(caps);
            List<String> security = new ArrayList<>(host.getSecurityOpts() == null ? List.of() : host.getSecurityOpts());
            security.add("seccomp=unconfined");
            host.withSecurityOpts(security);
        });
    }

    private static GenericContainer<?> base(String image, String testClass, List<Path> readOnly, List<Path> readWrite) {
        // Binds go straight into the create command: through withFileSystemBind Testcontainers would first check
        // that mounting works by running alpine, which cannot be pulled where no registry is reachable.
        List<Bind> binds = new ArrayList<>();
        // BTF, tracefs, debugfs and the uprobe PMU live under /sys/kernel; a fresh sysfs lacks tracefs
        binds.add(new Bind("/sys/kernel", new Volume("/sys/kernel"), AccessMode.rw));
        for (Path path : readOnly) {
            binds.add(new Bind(path.toString(), new Volume(path.toString()), AccessMode.ro));
        }
        for (Path path : readWrite) {
            binds.add(new Bind(path.toString(), new Volume(path.toString()), AccessMode.rw));
        }
        @SuppressWarnings("resource")  // closed by PrivilegedContainer.close
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withCommand("sleep", "infinity")
                .withLabels(ContainerReaper.ownerLabels(testClass))
                .withNetworkMode("none")
                .withStartupTimeout(STARTUP_TIMEOUT)
                .waitingFor(new AbstractWaitStrategy() {
                    @Override
                    protected void waitUntilReady() {
                        // sleep needs no readiness check; IsRunningStartupCheckStrategy saw it running
                    }
                })
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPidMode("host").withBinds(binds));
        return c;
    }

    private static Start attempt(GenericContainer<?> c, String image, String profile, String fallback) {
        try {
            c.start();
            return new Start(new PrivilegedContainer(c, image, profile, fallback), null);
        } catch (RuntimeException e) {
            String id = c.getContainerId();
            try {
                c.stop();
            } catch (RuntimeException ignored) {
                // nothing left to stop
            }
            if (id != null) {
                ContainerReaper.remove(c.getDockerClient(), id);
            }
            return new Start(null, DockerEngine.rootMessage(e));
        }
    }

    private static ContainerException refused(String image, String what, String refusal, String fallback) {
        return new ContainerException("container runtime: the engine refused to start " + image + " with " + what
                + ": " + refusal + (fallback.isEmpty() ? "" : " (after " + fallback + ")")
                + " (see " + ContainerConfig.PRIVILEGES_PROPERTY_NAME + " and junit-ebpf-container/README.md)", null);
    }
}
