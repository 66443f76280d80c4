package io.junitebpf.demo;

import io.junitebpf.bpf.FeatureUnavailableException;
import io.junitebpf.bpf.KernelFeature;
import io.junitebpf.bpf.KernelFeatures;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The seed's four tools on this machine: each loads its BPF object from the
 * jar (from memory), starts umark, and prints one line per event in the seed's
 * format. Ends by itself after {@code --count} events per program; a tool the
 * kernel cannot run prints one line saying why and the others go on.
 *
 * <p>Exit status: 0 when every tool printed its events or was skipped for a
 * missing kernel feature, 1 when a tool failed, 2 for bad arguments.
 */
public final class Demo {

    static final int DEFAULT_COUNT = 5;
    private static final int MAX_COUNT = 100_000;

    private Demo() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the demo: event lines and one line per skipped or failed tool on {@code out}, progress on {@code err}. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Set<Tool> tools = new LinkedHashSet<>();
        int count = DEFAULT_COUNT;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                usage(out);
                return 0;
            }
            if (arg.equals("--count") || arg.startsWith("--count=")) {
                String value = arg.equals("--count") ? (i + 1 < args.size() ? args.get(++i) : null)
                        : arg.substring("--count=".length());
                Optional<Integer> parsed = positive(value);
                if (parsed.isEmpty()) {
                    return usageError(err, "--count wants a whole number from 1 to " + MAX_COUNT + ", got "
                            + (value == null ? "nothing" : "'" + value + "'"));
                }
                count = parsed.get();
                continue;
            }
            Optional<Tool> tool = Tool.named(arg);
            if (tool.isEmpty()) {
                return usageError(err, "unknown " + (arg.startsWith("-") ? "option" : "tool") + " '" + arg + "'");
            }
            tools.add(tool.get());
        }
        if (tools.isEmpty()) {
            tools.addAll(List.of(Tool.values()));
        }
        int status = 0;
        for (Tool tool : tools) {
            Optional<String> missing = missingFeature(tool);
            if (missing.isPresent()) {
                out.println(tool.command() + ": skipped: " + missing.get());
                continue;
            }
            err.println("# " + tool.command() + ": " + describe(tool, count));
            Optional<String> problem;
            try {
                problem = switch (tool) {
                    case TRACE_EXECVE, PROBE_EXECVE -> ExecveRun.run(tool, count, out);
                    case UPROBE_TEST -> UmarkRun.uprobe(count, out);
                    case USDT_TEST -> UmarkRun.usdt(count, out);
                };
            } catch (RuntimeException e) {
                problem = Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            if (problem.isPresent()) {
                out.println(tool.command() + ": failed: " + problem.get());
                status = 1;
            }
        }
        out.flush();
        return status;
    }

    private static Optional<String> missingFeature(Tool tool) {
        List<KernelFeature> needed = new ArrayList<>(tool.features());
        needed.add(KernelFeature.RINGBUF);
        for (KernelFeature feature : needed) {
            try {
                KernelFeatures.require(feature);
            } catch (FeatureUnavailableException e) {
                return Optional.of(e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static String describe(Tool tool, int count) {
        return switch (tool) {
            case TRACE_EXECVE -> "tracepoint syscalls/sys_enter_execve (SEC-declared), " + count + " umark execs";
            case PROBE_EXECVE -> "kprobe on the execve syscall (SEC(\"ksyscall/execve\")), " + count + " umark execs";
            case UPROBE_TEST -> "func_uprobe1 by ELF file offset, func_uprobe2 by SEC(), " + count + " umark rounds";
            case USDT_TEST -> "groupa:probe1 by explicit attach, groupb:probe2 by SEC(), " + count + " umark rounds";
        };
    }

    private static Optional<Integer> positive(String value) {
        if (value == null || !value.matches("\\d{1,9}")) {
            return Optional.empty();
        }
        int n = Integer.parseInt(value);
        return n >= 1 && n <= MAX_COUNT ? Optional.of(n) : Optional.empty();
    }

    private static int usageError(PrintStream err, String problem) {
        err.println("demo: " + problem);
        usage(err);
        return 2;
    }

    private static void usage(PrintStream to) {
        to.println("usage: scripts/demo [" + String.join("|", Tool.commands()) + " ...] [--count N]");
        to.println("  runs the seed's tools (all by default) and prints one line per event:");
        to.println("  <name> <timestamp_ns> <tgid> <comm> <ppid> <parent_comm> <uid> <values...>");
        to.println("  --count N   events per program before a tool ends (default " + DEFAULT_COUNT + ")");
    }
}
