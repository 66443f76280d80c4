package io.junitebpf.junit;

import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Program;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Constructor parameters are resolved before beforeEach: the objects load then, once. */
@EbpfTest(objects = "bpf/uprobe.bpf.o")
class ConstructorInjectionTest {

    private final LoadedObject bpf;
    private final Program probe1;

    ConstructorInjectionTest(LoadedObject bpf, @Bpf("func_uprobe1") Program probe1) {
        this.bpf = bpf;
        this.probe1 = probe1;
    }

    @Test
    void theConstructorAndTheMethodSeeTheSameObject(LoadedObject same) {
        assertThat(same).isSameAs(bpf);
        assertThat(probe1.loaded()).isTrue();
        assertThat(probe1.section()).isEqualTo("uprobe");
    }
}
