package io.junitebpf.vm;

import io.junitebpf.junit.EbpfConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VmConfigTest {

    private static VmConfig read(Map<String, String> parameters) {
        return VmConfig.from(EbpfConfig.of(parameters::get, k -> null));
    }

    @Test
    void aNamedKernelWithDefaults() {
        VmConfig config = read(Map.of("junit.ebpf.kernel", "6.12"));

        assertThat(config.kernel().name()).isEqualTo("6.12");
        assertThat(config.kernel().image()).isEmpty();
        assertThat(config.kernel().prepareArguments()).containsExactly("6.12");
        assertThat(config.accel()).isEqualTo(VmConfig.Accel.AUTO);
        assertThat(config.memory()).isEqualTo("2G");
        assertThat(config.cpus()).isBetween(1, 2);
        assertThat(config.cache()).endsWithRaw(Path.of("junit-ebpf", "vm")); // raw: a new machine has no cache yet
        assertThat(config.testTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aKernelImageWithItsModules(@TempDir Path dir) throws Exception {
        Path image = Files.writeString(dir.resolve("bzImage"), "x");
        Path modules = Files.createDirectories(dir.resolve("lib/modules/6.6.1"));

        VmConfig config = read(Map.of("junit.ebpf.kernel", image.toString(), "junit.ebpf.vm.modules",
                modules.toString(), "junit.ebpf.vm.accel", "tcg", "junit.ebpf.vm.memory", "1536M"));

        assertThat(config.kernel().image()).contains(image);
        assertThat(config.kernel().modules()).isEqualTo(Optional.of(modules));
        assertThat(config.kernel().prepareArguments()).containsExactly(image.toString(), modules.toString());
        assertThat(config.accel()).isEqualTo(VmConfig.Accel.TCG);
        assertThat(config.memory()).isEqualTo("1536M");
    }

    @Test
    void badValuesNameTheKeyAndWhatWouldDo(@TempDir Path dir) {
        assertThatThrownBy(() -> read(Map.of()))
                .isInstanceOf(ExtensionConfigurationException.class).hasMessageContaining("junit.ebpf.kernel");
        assertThatThrownBy(() -> read(Map.of("junit.ebpf.kernel", "bookworm")))
                .hasMessageContaining("junit.ebpf.kernel='bookworm' is invalid")
                .hasMessageContaining("5.10, 6.1, 6.12, latest, host, or the path of a kernel image");
        assertThatThrownBy(() -> read(Map.of("junit.ebpf.kernel", "6.1", "junit.ebpf.vm.modules", dir.toString())))
                .hasMessageContaining("junit.ebpf.vm.modules").hasMessageContaining("Debian kernels bring their modules");
        assertThatThrownBy(() -> read(Map.of("junit.ebpf.kernel", "6.1", "junit.ebpf.vm.accel", "hvf")))
                .hasMessageContaining("junit.ebpf.vm.accel='hvf' is invalid (expected one of auto, kvm, tcg)");
        assertThatThrownBy(() -> read(Map.of("junit.ebpf.kernel", "6.1", "junit.ebpf.vm.memory", "lots")))
                .hasMessageContaining("junit.ebpf.vm.memory='lots'");
        assertThatThrownBy(() -> read(Map.of("junit.ebpf.kernel", "6.1", "junit.ebpf.vm.java-home", dir.toString())))
                .hasMessageContaining("junit.ebpf.vm.java-home").hasMessageContaining("bin/java");
    }

    @Test
    void aKernelImageMustExistAndSoMustItsModules(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> read(Map.of("junit.ebpf.kernel", dir.resolve("nope").toString())))
                .hasMessageContaining("does not exist");
        Path image = Files.writeString(dir.resolve("bzImage"), "x");
        assertThatThrownBy(() -> read(Map.of("junit.ebpf.kernel", image.toString(),
                "junit.ebpf.vm.modules", dir.resolve("lib/modules/none").toString())))
                .hasMessageContaining("junit.ebpf.vm.modules").hasMessageContaining("does not exist");
    }
}
