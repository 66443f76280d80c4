package io.junitebpf.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes runtime containers without relying on Ryuk (which cannot run where no registry is reachable).
 * Every container carries {@value #LABEL}=true and the owning JVM's pid, start time and host; a
 * container whose owner on this host is gone (killed JVM) is removed when the next JVM probes the engine.
 */
final class ContainerReaper {

    /** Marks every container the runtime starts. */
    public static final String LABEL = "io.junitebpf.runtime";
    /** The owning JVM's pid. */
    public static final String PID_LABEL = LABEL + ".pid";
    /**
     * When the owning JVM started, in clock ticks since boot as /proc/PID/stat gives it (guards against pid reuse).
     * Not {@code ProcessHandle.Info.startInstant()}: each JVM adds the boot time in whole seconds, read once, so two
     * JVMs can disagree by a second on the same process after the clock is stepped. A key of its own, not the
     * earlier {@code .jvm-start} (an instant): a reaper of either kind finds no value it can misread in the
     * other's containers, and takes their owners for alive (they are reaped by their own kind).
     */
    public static final String JVM_START_LABEL = LABEL + ".jvm-start-ticks";
    /** The host the owning JVM runs on: only its own host's orphans are judged. */
    public static final String HOST_LABEL = LABEL + ".host";
    /** The test class the container serves. */
    public static final String TEST_CLASS_LABEL = LABEL + ".test-class";

    private static final System.Logger LOG = System.getLogger(ContainerReaper.class.getName());

    private ContainerReaper() {
    }

    /** The labels identifying a container owned by this JVM. */
    static Map<String, String> ownerLabels(String testClass) {
        ProcessHandle self = ProcessHandle.current();
        return Map.of(LABEL, "true",
                PID_LABEL, Long.toString(self.pid()),
                JVM_START_LABEL, startOf(self.pid()).orElse("?"),
                HOST_LABEL, hostName(),
                TEST_CLASS_LABEL, testClass);
    }

    /** Removes labelled containers whose owning JVM on this host no longer runs. Returns how many. */
    public static int removeOrphans(DockerClient client) {
        List<Container> labelled = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL, "true")).exec();
        int removed = 0;
        for (Container container : labelled) {
            Map<String, String> labels = container.getLabels();
            if (!hostName().equals(labels.get(HOST_LABEL)) || ownerAlive(labels)) {
                continue;
            }
            LOG.log(System.Logger.Level.INFO, "removing container {0} of JVM {1}, which is gone",
                    container.getId().substring(0, 12), labels.get(PID_LABEL));
            remove(client, container.getId());
            removed++;
        }
        return removed;
    }

    /** Force-removes a container; one that is already gone is fine. */
    static void remove(DockerClient client, String id) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("already in progress")) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove container " + id + ": " + e.getMessage());
            }
        }
    }

    private static boolean ownerAlive(Map<String, String> labels) {
        long pid;
        try {
            pid = Long.parseLong(labels.getOrDefault(PID_LABEL, ""));
        } catch (NumberFormatException e) {
            return false;
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            return false;
        }
        String started = labels.get(JVM_START_LABEL);
        return started == null || started.equals("?") || startOf(pid).map(started::equals).orElse(true);
    }

    /** A process's start in clock ticks since boot (field 22 of /proc/PID/stat), if it can be read. */
    static Optional<String> startOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces and parentheses
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields.length > 19 ? Optional.of(fields[19]) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
    }
}
