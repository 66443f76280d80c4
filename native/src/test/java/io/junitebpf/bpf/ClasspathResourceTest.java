package io.junitebpf.bpf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClasspathResourceTest {

    private static final ClassLoader LOADER = ClasspathResourceTest.class.getClassLoader();

    @Test
    void readsFromTheClasspathRootWithOrWithoutALeadingSlash() {
        byte[] plain = ClasspathResource.read("bpf-test/attach.bpf.o", LOADER).orElseThrow();
        assertThat(plain).startsWith(0x7f, 'E', 'L', 'F');
        assertThat(ClasspathResource.read("/bpf-test/attach.bpf.o", LOADER)).hasValueSatisfying(
                bytes -> assertThat(bytes).isEqualTo(plain));
    }

    @Test
    void aMissingResourceIsEmptyAndTheCallerSaysWhatThatMeans() {
        assertThat(ClasspathResource.read("bpf-test/no-such.bpf.o", LOADER)).isEmpty();
        assertThatThrownBy(() -> BpfObject.openResource("bpf-test/no-such.bpf.o"))
                .isInstanceOf(BpfException.class).hasMessageContaining("no such classpath resource");
        assertThatThrownBy(() -> ClasspathResource.read(null, LOADER)).isInstanceOf(NullPointerException.class);
    }
}
