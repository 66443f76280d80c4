package io.junitebpf.container;

import io.junitebpf.junit.EbpfConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The container runtime's configuration, read through the extension's one reader; no engine needed. */
class ContainerConfigTest {

    private static ContainerConfig resolve(Map<String, String> properties, Map<String, String> environment) {
        return ContainerConfig.from(EbpfConfig.of(properties::get, environment::get));
    }

    @Test
    void defaults() {
        ContainerConfig config = resolve(Map.of(), Map.of());

        assertThat(config.image()).isEmpty();
        assertThat(config.privileges()).isEqualTo(PrivilegeProfile.AUTO);
        assertThat(config.javaHome()).isEqualTo(Path.of(System.getProperty("java.home")));
        assertThat(config.testTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.engineTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void environmentVariablesStandForKeysAndPropertiesBeatThem() {
        Map<String, String> env = Map.of("JUNIT_EBPF_CONTAINER_IMAGE", "from-env",
                "JUNIT_EBPF_CONTAINER_PRIVILEGES", "capabilities", "JUNIT_EBPF_CONTAINER_TEST_TIMEOUT", "90",
                "JUNIT_EBPF_CONTAINER_JAVA_HOME", "/jdk", "JUNIT_EBPF_CONTAINER_ENGINE_TIMEOUT", "1500ms");
        Map<String, String> properties = Map.of(ContainerConfig.IMAGE_PROPERTY_NAME, "from-property");

        ContainerConfig config = resolve(properties, env);

        assertThat(config.image()).contains("from-property");
        assertThat(config.privileges()).isEqualTo(PrivilegeProfile.CAPABILITIES);
        assertThat(config.testTimeout()).as("a bare number is seconds").isEqualTo(Duration.ofSeconds(90));
        assertThat(config.javaHome()).isEqualTo(Path.of("/jdk"));
        assertThat(config.engineTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void badValuesNameKeyAndValue() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("JUNIT_EBPF_CONTAINER_PRIVILEGES", "root")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("JUNIT_EBPF_CONTAINER_PRIVILEGES (junit.ebpf.container.privileges)")
                .hasMessageContaining("'root'")
                .hasMessageContaining("auto, privileged, capabilities");
        assertThatThrownBy(() -> resolve(Map.of(ContainerConfig.TEST_TIMEOUT_PROPERTY_NAME, "soon"), Map.of()))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("junit.ebpf.container.test-timeout='soon'");
        assertThatThrownBy(() -> resolve(Map.of(ContainerConfig.ENGINE_TIMEOUT_PROPERTY_NAME, "0s"), Map.of()))
                .hasMessageContaining("junit.ebpf.container.engine-timeout='0s'");
    }

    @Test
    void theProviderIsFoundByServiceLoaderUnderItsName() {
        assertThat(java.util.ServiceLoader.load(io.junitebpf.junit.spi.RemoteRuntime.class).stream()
                .map(p -> p.get().name()).toList()).containsExactly("container");
    }
}
