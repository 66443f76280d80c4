package io.junitebpf.it;

import io.junitebpf.bpf.KernelFeature;
import io.junitebpf.bpf.KernelFeatures;
import io.junitebpf.demo.Demo;
import io.junitebpf.junit.EbpfTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as a user runs it (in-process, without the script's build): its
 * lines parse in the seed's format and carry the right values, a tool the
 * kernel cannot run says why, and bad arguments get the usage.
 */
class DemoTest {

    /** {@code <name> <timestamp_ns> <tgid> <comm> <ppid> <parent_comm> <uid> <values...>}. */
    private static final Pattern LINE = Pattern.compile(
            "(?<name>\\S+) (?<ts>\\d+) (?<tgid>\\d+) (?<comm>\\S+) (?<ppid>\\d+) (?<pcomm>\\S+) (?<uid>\\d+) (?<values>.+)");

    private record Line(String name, long timestampNs, int tgid, String comm, int ppid, String parentComm, int uid,
                        String values) {
    }

    /** The demo's real runs: need what every eBPF test needs (the extension skips with the reason otherwise). */
    @Nested
    @EbpfTest
    class OnThisKernel {

        @Test
        void printsEachRunnableToolsEventsInTheSeedFormatAndEndsByItself() {
            Launcher launcher = Launcher.current();
            long started = System.nanoTime();
            Output output = run("--count", "2");
            assertThat(output.status()).as("exit status; output:%n%s%nprogress:%n%s", output.out(), output.err())
                    .isZero();

            List<Line> lines = new ArrayList<>();
            for (String text : output.out().lines().toList()) {
                if (text.startsWith("probe_execve: skipped: ")) {
                    assertThat(KernelFeatures.has(KernelFeature.KPROBES)).as("skipped although the kernel has kprobes")
                            .isFalse();
                    continue;
                }
                Matcher m = LINE.matcher(text);
                assertThat(m.matches()).as("line in the seed format: '%s'", text).isTrue();
                Line line = new Line(m.group("name"), Long.parseLong(m.group("ts")), Integer.parseInt(m.group("tgid")),
                        m.group("comm"), Integer.parseInt(m.group("ppid")), m.group("pcomm"),
                        Integer.parseInt(m.group("uid")), m.group("values"));
                assertThat(line.ppid()).as("%s: ppid (this JVM)", text).isEqualTo(launcher.pid());
                assertThat(line.parentComm()).as("%s: parent comm", text).isEqualTo(launcher.threadComm());
                assertThat(line.uid()).as("%s: uid", text).isEqualTo(launcher.uid());
                assertThat(line.timestampNs()).as("%s: CLOCK_MONOTONIC timestamp", text)
                        .isBetween(started, System.nanoTime());
                lines.add(line);
            }
            if (!KernelFeatures.has(KernelFeature.KPROBES)) {
                assertThat(output.out()).contains("probe_execve: skipped: KPROBES unavailable");
            }

            assertThat(values(lines, "trace_execve")).as("trace_execve filenames")
                    .hasSize(2).allSatisfy(f -> assertThat(f).endsWith("/umark"));
            assertThat(lines).filteredOn(l -> l.name().equals("trace_execve"))
                    .allSatisfy(l -> assertThat(l.comm()).isEqualTo(launcher.preExecComm()));
            assertThat(values(lines, "func_uprobe1")).as("func_uprobe1 x").containsExactly("0", "1");
            assertThat(values(lines, "func_uretprobe1")).as("func_uretprobe1 ret").containsExactly("1", "2");
            assertThat(values(lines, "func_uprobe2")).as("func_uprobe2 x y").containsExactly("3 8", "4 9");
            assertThat(values(lines, "func_uretprobe2")).as("func_uretprobe2 ret").containsExactly("11", "13");
            assertThat(values(lines, "func_usdt1")).as("func_usdt1 var1").containsExactly("10", "10");
            assertThat(values(lines, "func_usdt2")).as("func_usdt2 var2 var3").containsExactly("20 30", "20 30");
            assertThat(lines).filteredOn(l -> l.name().startsWith("func_"))
                    .allSatisfy(l -> assertThat(l.comm()).isEqualTo("umark"));
        }

        @Test
        void runsOnlyTheNamedTools() {
            Output output = run("usdt_test", "--count=1");
            assertThat(output.status()).isZero();
            assertThat(output.out().lines().map(l -> l.split(" ")[0]).toList())
                    .containsExactly("func_usdt1", "func_usdt2");
        }
    }

    @Test
    void badArgumentsGetTheUsageAndStatusTwo() {
        for (List<String> args : List.of(List.of("--count", "0"), List.of("--count"), List.of("nosuch_tool"),
                List.of("--frobnicate"))) {
            Output output = run(args.toArray(String[]::new));
            assertThat(output.status()).as("status for %s", args).isEqualTo(2);
            assertThat(output.err()).as("stderr for %s", args).contains("usage: scripts/demo");
            assertThat(output.out()).as("stdout for %s", args).isEmpty();
        }
    }

    /** Runs the checkout's script: host-only, the kernel matrix's guests do not see a checkout under /tmp. */
    @Test
    @Tag("host-only")
    void theScriptRejectsBadArgumentsBeforeBuilding() throws Exception {
        Path script = ProjectRoot.get().resolve("scripts").resolve("demo");
        assertThat(script).isExecutable();
        Process process = new ProcessBuilder(script.toString(), "--count", "zero").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("script ends at once").isTrue();
        assertThat(process.exitValue()).as("exit status; output:%n%s", output).isEqualTo(2);
        assertThat(output).contains("--count wants a whole number", "usage: scripts/demo");
    }

    private static List<String> values(List<Line> lines, String name) {
        return lines.stream().filter(l -> l.name().equals(name)).map(Line::values).toList();
    }

    private record Output(int status, String out, String err) {
    }

    private static Output run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Demo.run(List.of(args), o, e);
        }
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
