package io.junitebpf.container;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container outlives no test JVM: a forked JVM ({@link ContainerOrphanScenario}) starts a runtime container and
 * is killed with SIGKILL (a Surefire fork timeout, an IDE's stop button); within seconds the container is gone,
 * removed by the JVM-death watchdog, not by the next JVM's label sweep.
 */
class ContainerOrphanTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @Test
    void aJvmKilledWithSigkillLeavesNoContainer() throws Exception {
        DockerAvailable.assumeEngine();
        Assumptions.assumeTrue(DockerAvailable.config().image().isPresent(), "needs the runtime image");
        Assumptions.assumeTrue(Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "docker"))),
                "the watchdog removes containers with the docker CLI, which is not on PATH");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("container-orphan-scenario-", ".log");
        // the engine answered this JVM already: on a loaded machine its next client may still take long to connect,
        // which is not what this test is about
        Process jvm = new ProcessBuilder(java.toString(), "-D" + ContainerConfig.ENGINE_TIMEOUT_PROPERTY_NAME + "=120s",
                "-cp", System.getProperty("java.class.path"),
                ContainerOrphanScenario.class.getName()).redirectError(log.toFile()).start();
        String id = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null && !line.equals("ready"); ) {
                if (line.startsWith("container ")) {
                    id = line.substring("container ".length());
                }
            }
            if (id == null) { // the scenario ended or said ready without a container: its stderr says why
                jvm.waitFor(30, TimeUnit.SECONDS);
                List<String> err = Files.readAllLines(log);
                assertThat(id).as("the scenario's container id (scenario %s; its stderr ends: %s)",
                        jvm.isAlive() ? "still running" : "exited with " + jvm.exitValue(),
                        String.join(" | ", err.subList(Math.max(0, err.size() - 8), err.size()))).isNotBlank();
            }
            assertThat(exists(id)).as("container %s before the kill", id).isTrue();
        } finally {
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook, no close runs
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline && exists(id)) {
            Thread.sleep(100);
        }
        assertThat(exists(id)).as("container %s %s after its JVM's death", id, DEADLINE).isFalse();
        Files.deleteIfExists(log);
    }

    private static boolean exists(String id) {
        try {
            DockerEngine.client().inspectContainerCmd(id).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
