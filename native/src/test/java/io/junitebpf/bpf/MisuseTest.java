package io.junitebpf.bpf;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static io.junitebpf.bpf.MapsFixture.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Misuse of objects, maps, programs, links and globals: always an exception, never a crashed JVM. */
class MisuseTest {

    @Test
    void openedObjectAfterCloseThrows() {
        BpfObject spec = BpfObject.open(MapsFixture.bytes(), MapsFixture.RESOURCE);
        spec.close();
        spec.close();
        assertThatThrownBy(() -> spec.program(MapsFixture.PROGRAM)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("object is closed");
        assertThatThrownBy(() -> spec.global("hits")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(spec::globals).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(spec::btf).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(spec::mapNames).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(spec::load).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void handlesOfALoadedObjectAfterCloseThrow() {
        LoadedObject bpf = MapsFixture.loadAndAttach();
        BpfMap map = bpf.map("per_thread");
        Program program = bpf.program(MapsFixture.PROGRAM);
        GlobalVariable hits = bpf.global("hits");
        GlobalVariable target = bpf.global("target_tgid");
        Stream<byte[]> keys = bpf.map("slots").keys();
        RingBuffer ring = bpf.ringBuffer("tids");
        bpf.close();
        bpf.close();

        assertThat(bpf.closed()).isTrue();
        assertThatThrownBy(() -> map.lookup(u32(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("object is closed");
        assertThatThrownBy(() -> map.update(u32(1), new byte[8])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> map.delete(u32(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(map::keys).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(keys::toList).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(program::attach).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> program.attachTracepoint("syscalls", "sys_enter_getpid"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(hits::getLong).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hits.setLong(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(target::getInt).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ring.poll(Duration.ZERO, b -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bpf.map("slots")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bpf.program(MapsFixture.PROGRAM)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bpf.global("hits")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(bpf::btf).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bpf.ringBuffer("tids")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void linksCloseOnceWhateverTheOrder() {
        MapsFixture.mountTracefs();
        LoadedObject bpf = BpfObject.open(MapsFixture.bytes(), MapsFixture.RESOURCE).load();
        Link link = bpf.program(MapsFixture.PROGRAM).attachTracepoint("syscalls", "sys_enter_getpid");
        link.close();
        link.close();
        assertThat(link.closed()).isTrue();
        Link second = bpf.program(MapsFixture.PROGRAM).attachTracepoint("syscalls", "sys_enter_getpid");
        bpf.close(); // closes the link it made
        assertThat(second.closed()).isTrue();
        assertThatCode(second::close).doesNotThrowAnyException();
        assertThatCode(bpf::close).doesNotThrowAnyException();
    }

    @Test
    void loadingTwiceAndUsingTheSpecAfterLoadThrow() {
        BpfObject spec = BpfObject.open(MapsFixture.bytes(), MapsFixture.RESOURCE);
        ProgramSpec program = spec.program(MapsFixture.PROGRAM);
        try (LoadedObject bpf = spec.load()) {
            assertThatThrownBy(spec::load).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already loaded");
            assertThatThrownBy(() -> program.autoload(false)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> spec.global("step").setLong(2)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("LoadedObject.global");
            spec.close(); // handed over: must not free what bpf owns
            assertThat(bpf.map("slots").lookup(u32(0))).isPresent();
        }
    }

    @Test
    void nullEmptyAndUnknownNamesThrow() {
        try (LoadedObject bpf = MapsFixture.loadAndAttach()) {
            assertThatThrownBy(() -> bpf.map(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> bpf.map(" ")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("find map: empty name");
            assertThatThrownBy(() -> bpf.program(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> bpf.program("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> bpf.global(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> bpf.global("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> bpf.map("counts")).isInstanceOf(BpfException.class)
                    .hasMessageContaining("no such map (maps: per_thread, slots, per_cpu, ").hasMessageContaining("maps.bss");
            assertThatThrownBy(() -> bpf.program(MapsFixture.PROGRAM).attachTracepoint("", "x"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> bpf.map("slots").lookup(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> bpf.map("slots").lookup(new byte[3]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("map 'slots'")
                    .hasMessageContaining("key is 3 bytes, the map's key size is 4");
        }
    }

    @Test
    void truncatedObjectsFailToOpenOrLoad() {
        byte[] elf = MapsFixture.bytes();
        for (int length : new int[] {4, 16, 63, 64, 65, 200, 512, elf.length / 4, elf.length / 2, elf.length - 1}) {
            byte[] truncated = Arrays.copyOf(elf, length);
            assertThatThrownBy(() -> openAndLoad(truncated)).as("first %d bytes", length)
                    .isInstanceOf(BpfException.class).hasMessageContaining("truncated-" + length);
        }
    }

    @Test
    void randomBytesBehindAnElfMagicFail() {
        Random random = new Random(20240611);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[16 + random.nextInt(4096)];
            random.nextBytes(junk);
            junk[0] = 0x7f;
            junk[1] = 'E';
            junk[2] = 'L';
            junk[3] = 'F';
            if (i % 2 == 0) {
                junk[4] = 2;      // ELFCLASS64
                junk[5] = 1;      // little endian
                junk[6] = 1;      // EV_CURRENT
            }
            String name = "random-" + i;
            assertThatThrownBy(() -> open(junk, name)).isInstanceOf(BpfException.class).hasMessageContaining(name);
        }
    }

    private static LoadedObject openAndLoad(byte[] bytes) {
        String name = bytes.length < MapsFixture.bytes().length ? "truncated-" + bytes.length : "corrupt";
        try (BpfObject spec = open(bytes, name)) {
            return spec.load();
        }
    }

    private static BpfObject open(byte[] bytes, String name) {
        return BpfObject.open(Libbpf.system(), bytes, ObjectOptions.DEFAULTS, name);
    }
}
