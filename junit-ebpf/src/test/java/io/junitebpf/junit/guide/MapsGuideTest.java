package io.junitebpf.junit.guide;

import io.junitebpf.bpf.Link;
import io.junitebpf.bpf.Program;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.MapFixture;
import io.junitebpf.map.TypedGlobal;
import io.junitebpf.map.TypedMap;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

// guide:maps
@EbpfTest(objects = "bpf-test/typed_maps.bpf.o")
class MapsGuideTest {

    record FlowKey(int addr, short port, byte proto, byte flags) { }   // struct flow_key
    record FlowStats(long packets, long bytes, String label) { }       // struct flow_stats, the rest left out
    record Settings(int step, String name) { }                         // struct settings

    static final FlowKey DNS = new FlowKey(0x0a000001, (short) 53, (byte) 17, (byte) 0);

    static Map<FlowKey, FlowStats> dnsFlow() {                         // the fixture: put before the test
        return Map.of(DNS, new FlowStats(4, 0, "dns"));
    }

    @Test
    void theProgramSeesTheFixtureAndTheGlobals(@Bpf("flows") @MapFixture("dnsFlow") TypedMap<FlowKey, FlowStats> flows,
                                               @Bpf("settings") TypedGlobal<Settings> settings,      // .data
                                               @Bpf("last_seen") TypedGlobal<FlowStats> lastSeen,    // .bss
                                               @Bpf("summarize") Program summarize) throws Exception {
        assertThat(flows).containsEntry(DNS, new FlowStats(4, 0, "dns")).hasSize(1);
        settings.set(new Settings(25, "custom"));                       // the program sees it at once
        try (Link link = summarize.attach()) {
            new ProcessBuilder("true").start().waitFor();               // an execve runs summarize
        }
        assertThat(lastSeen.get()).isEqualTo(new FlowStats(4, 4 * 25, "dns"));
    }

    @Test
    void perCpuValuesAreLists(@Bpf("cpu_counts") TypedMap<Integer, Long> counts) {   // __u32 -> __u64
        counts.putAllCpus(7, 5L);
        assertThat(counts.getPerCpu(7).orElseThrow()).hasSize(counts.map().possibleCpus());
        assertThat(counts).hasPerCpuSum(7, 5L * counts.map().possibleCpus());
    }
}
// end:maps
