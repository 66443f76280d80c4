package io.junitebpf.bpf;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static io.junitebpf.bpf.MapsFixture.u32;
import static io.junitebpf.bpf.MapsFixture.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Map element access on a real kernel: the program counts getpid calls, Java reads and writes the maps. */
class BpfMapTest {

    private LoadedObject bpf;

    @BeforeEach
    void load() {
        bpf = MapsFixture.loadAndAttach();
    }

    @AfterEach
    void close() {
        bpf.close();
    }

    @Test
    void programCountsIntoHashArrayAndPerCpuArray() {
        int tid = MapsFixture.threadId();
        MapsFixture.getpid(5);

        BpfMap perThread = bpf.map("per_thread");
        assertThat(perThread.lookup(u32(tid))).map(MapsFixture::u64).hasValueSatisfying(n -> assertThat(n)
                .isGreaterThanOrEqualTo(5));
        assertThat(perThread.keys().map(MapsFixture::u32)).contains(tid);
        assertThat(perThread.entries()).anySatisfy(e -> {
            assertThat(u32(e.key())).isEqualTo(tid);
            assertThat(u64(e.value())).isGreaterThanOrEqualTo(5);
        });

        assertThat(bpf.map("slots").lookup(u32(0))).map(MapsFixture::u64)
                .hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(5));

        BpfMap perCpu = bpf.map("per_cpu");
        List<byte[]> values = perCpu.lookupPerCpu(u32(0)).orElseThrow();
        assertThat(values).hasSize(perCpu.possibleCpus()).allSatisfy(v -> assertThat(v).hasSize(4));
        assertThat(values.stream().mapToLong(MapsFixture::u32).sum()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void hashUpdateHonoursFlagsAndDeleteReportsExistence() {
        BpfMap hash = bpf.map("per_thread");
        byte[] key = u32(-7);
        assertThat(hash.lookup(key)).isEmpty();
        assertThat(hash.delete(key)).isFalse();

        assertThatThrownBy(() -> hash.update(key, u64(1), UpdateFlag.EXIST))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                .hasMessageContaining("update key in map 'per_thread'").hasMessageContaining("UpdateFlag.EXIST");
        hash.update(key, u64(42), UpdateFlag.NOEXIST);
        assertThat(hash.lookup(key)).map(MapsFixture::u64).hasValue(42L);
        assertThatThrownBy(() -> hash.update(key, u64(43), UpdateFlag.NOEXIST))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
        hash.update(key, u64(44), UpdateFlag.EXIST);
        hash.update(key, u64(45));
        assertThat(hash.lookup(key)).map(MapsFixture::u64).hasValue(45L);

        assertThat(hash.delete(key)).isTrue();
        assertThat(hash.delete(key)).isFalse();
        assertThat(hash.lookup(key)).isEmpty();
    }

    @Test
    void fullHashRefusesWithE2big() {
        BpfMap hash = bpf.map("per_thread");
        int existing = (int) hash.keys().count();
        for (int i = 0; i < hash.maxEntries() - existing; i++) {
            hash.update(u32(-1000 - i), u64(i), UpdateFlag.NOEXIST);
        }
        assertThat(hash.keys()).hasSize(hash.maxEntries());
        assertThatThrownBy(() -> hash.update(u32(-1), u64(0)))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG))
                .hasMessageContaining("no room");
    }

    @Test
    void arrayKeysAreEveryIndexAndCannotBeDeleted() {
        BpfMap array = bpf.map("slots");
        assertThat(array.type()).isEqualTo(MapType.ARRAY);
        assertThat(array.keys().map(MapsFixture::u32)).containsExactly(0, 1, 2, 3);
        array.update(u32(3), u64(99));
        assertThat(array.lookup(u32(3))).map(MapsFixture::u64).hasValue(99L);
        assertThat(array.lookup(u32(4))).isEmpty();
        assertThatThrownBy(() -> array.update(u32(4), u64(1)))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG));
        assertThatThrownBy(() -> array.delete(u32(1)))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessageContaining("array elements cannot be deleted");
    }

    @Test
    void perCpuMapsTakeOneValuePerPossibleCpu() {
        BpfMap hash = bpf.map("per_cpu_hash");
        assertThat(hash.perCpu()).isTrue();
        int cpus = hash.possibleCpus();
        List<byte[]> values = IntStream.range(0, cpus).mapToObj(cpu -> u64(100 + cpu)).toList();
        hash.updatePerCpu(u64(7), values, UpdateFlag.NOEXIST);
        assertThat(hash.lookupPerCpu(u64(7)).orElseThrow()).extracting(MapsFixture::u64)
                .containsExactlyElementsOf(IntStream.range(0, cpus).mapToObj(cpu -> 100L + cpu).toList());
        assertThat(hash.lookupPerCpu(u64(8))).isEmpty();
        assertThat(hash.delete(u64(7))).isTrue();

        BpfMap array = bpf.map("per_cpu");
        array.updatePerCpu(u32(1), IntStream.range(0, cpus).mapToObj(MapsFixture::u32).toList(), UpdateFlag.ANY);
        assertThat(array.lookupPerCpu(u32(1)).orElseThrow()).extracting(MapsFixture::u32)
                .containsExactlyElementsOf(IntStream.range(0, cpus).boxed().toList());

        assertThatThrownBy(() -> array.lookup(u32(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("per-CPU").hasMessageContaining("lookupPerCpu");
        assertThatThrownBy(() -> array.update(u32(0), u32(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("updatePerCpu");
        assertThatThrownBy(() -> array.updatePerCpu(u32(0), List.of(u32(1)), UpdateFlag.ANY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("possible CPUs");
        assertThatThrownBy(() -> bpf.map("slots").lookupPerCpu(u32(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not per-CPU");
    }

    @Test
    void wrongSizesAreRefusedBeforeLibbpf() {
        BpfMap hash = bpf.map("per_thread");
        assertThatThrownBy(() -> hash.lookup(u64(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("look up key in map 'per_thread' of " + MapsFixture.RESOURCE
                        + ": key is 8 bytes, the map's key size is 4 (pass exactly 4 bytes in the kernel's layout)");
        assertThatThrownBy(() -> hash.update(u32(1), u32(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value is 4 bytes, the map's value size is 8");
        assertThatThrownBy(() -> hash.delete(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key is 0 bytes");
        assertThatThrownBy(() -> hash.update(u32(1), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> bpf.map("per_cpu").updatePerCpu(u32(0),
                IntStream.range(0, hash.possibleCpus()).mapToObj(MapsFixture::u64).toList(), UpdateFlag.ANY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value for CPU 0 is 8 bytes");
    }
}
