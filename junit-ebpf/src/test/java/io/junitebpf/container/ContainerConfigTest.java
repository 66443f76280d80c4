package io.junitebpf.container;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration resolution and the runtime decision; no engine needed. */
class ContainerConfigTest {

    @Test
    void defaults() {
        ContainerConfig config = ContainerConfig.resolve(Map.of("java.home", "/jdk")::get, Map.<String, String>of()::get);

        assertThat(config.runtime()).isEqualTo(RuntimeMode.AUTO);
        assertThat(config.image()).isEmpty();
        assertThat(config.privileges()).isEqualTo(PrivilegeProfile.AUTO);
        assertThat(config.javaHome()).isEqualTo(Path.of("/jdk"));
        assertThat(config.testTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void environmentVariablesStandForKeysAndPropertiesBeatThem() {
        Map<String, String> env = Map.of("JUNIT_EBPF_RUNTIME", "container", "JUNIT_EBPF_CONTAINER_IMAGE", "from-env",
                "JUNIT_EBPF_CONTAINER_PRIVILEGES", "capabilities", "JUNIT_EBPF_CONTAINER_TEST_TIMEOUT", "90");
        Map<String, String> properties = Map.of("java.home", "/jdk", ContainerConfig.IMAGE_PROPERTY_NAME, "from-property");

        ContainerConfig config = ContainerConfig.resolve(properties::get, env::get);

        assertThat(config.runtime()).isEqualTo(RuntimeMode.CONTAINER);
        assertThat(config.image()).contains("from-property");
        assertThat(config.privileges()).isEqualTo(PrivilegeProfile.CAPABILITIES);
        assertThat(config.testTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.withRuntime(RuntimeMode.IN_PROCESS).runtime()).isEqualTo(RuntimeMode.IN_PROCESS);
    }

    @Test
    void badValuesNameKeyAndValue() {
        assertThatThrownBy(() -> ContainerConfig.resolve(Map.of(ContainerConfig.RUNTIME_PROPERTY_NAME, "docker")::get,
                Map.<String, String>of()::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("junit.ebpf.runtime").hasMessageContaining("'docker'");
        assertThatThrownBy(() -> ContainerConfig.resolve(Map.<String, String>of()::get,
                Map.of("JUNIT_EBPF_CONTAINER_PRIVILEGES", "root")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JUNIT_EBPF_CONTAINER_PRIVILEGES (junit.ebpf.container.privileges)")
                .hasMessageContaining("'root'");
        assertThatThrownBy(() -> ContainerConfig.resolve(
                Map.of(ContainerConfig.TEST_TIMEOUT_PROPERTY_NAME, "soon")::get, Map.<String, String>of()::get))
                .hasMessageContaining("junit.ebpf.container.test-timeout").hasMessageContaining("'soon'");
    }

    @Test
    void decisions() {
        Optional<String> noBpf = Optional.of("EPERM");
        Optional<String> noDocker = Optional.of("no engine");

        assertThat(RuntimeDecision.choose(RuntimeMode.AUTO, Optional.empty(), () -> {
            throw new AssertionError("Docker is not asked when BPF loads here");
        }).choice()).isEqualTo(RuntimeDecision.Choice.IN_PROCESS);
        assertThat(RuntimeDecision.choose(RuntimeMode.AUTO, noBpf, Optional::empty).choice())
                .isEqualTo(RuntimeDecision.Choice.CONTAINER);
        RuntimeDecision skip = RuntimeDecision.choose(RuntimeMode.AUTO, noBpf, () -> noDocker);
        assertThat(skip.choice()).isEqualTo(RuntimeDecision.Choice.SKIP);
        assertThat(skip.reason()).contains("EPERM").contains("no engine");
        assertThat(RuntimeDecision.choose(RuntimeMode.CONTAINER, Optional.empty(), () -> noDocker).choice())
                .isEqualTo(RuntimeDecision.Choice.FAIL);
        assertThat(RuntimeDecision.choose(RuntimeMode.NEVER_CONTAINER, noBpf, Optional::empty).choice())
                .isEqualTo(RuntimeDecision.Choice.SKIP);
        assertThat(RuntimeDecision.choose(RuntimeMode.IN_PROCESS, noBpf, Optional::empty).choice())
                .isEqualTo(RuntimeDecision.Choice.IN_PROCESS);
    }
}
