package io.junitebpf.bpf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kprobe as a value, like Uprobe: where, and entry or return. */
class KprobeTest {

    @Test
    void returningMakesAKretprobeOfTheSamePlace() {
        Kprobe entry = Kprobe.function("do_sys_openat2");
        assertThat(entry.retprobe()).isFalse();
        assertThat(entry.returning()).isEqualTo(new Kprobe("do_sys_openat2", false, true));
        assertThat(entry.returning()).hasToString("kretprobe do_sys_openat2");
        assertThat(Kprobe.syscall("execve").returning()).hasToString("kretsyscall execve");
        assertThat(Kprobe.syscall("execve")).hasToString("ksyscall execve");
    }

    @Test
    void anEmptyOrMissingNameIsRefused() {
        assertThatThrownBy(() -> Kprobe.function(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attach: empty kernel function");
        assertThatThrownBy(() -> Kprobe.syscall("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attach: empty syscall name");
        assertThatThrownBy(() -> Kprobe.function(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("function");
    }

    @Test
    void typesNameThemselvesAsTheKernelDoes() {
        assertThat(MapType.of(27)).isEqualTo(MapType.RINGBUF).hasToString("BPF_MAP_TYPE_RINGBUF");
        assertThat(ProgramType.of(6)).isEqualTo(ProgramType.XDP).hasToString("BPF_PROG_TYPE_XDP");
        assertThat(XdpAction.of(1)).isEqualTo(XdpAction.XDP_DROP);
        assertThat(TcAction.of(2)).isEqualTo(TcAction.TC_ACT_SHOT);
        assertThat(TcAction.TC_ACT_UNSPEC.value()).isEqualTo(-1);
        assertThatThrownBy(() -> MapType.of(1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("map type 1000 is not a known enum bpf_map_type value");
        assertThatThrownBy(() -> ProgramType.of(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("program type -1");
    }
}
