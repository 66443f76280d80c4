package io.junitebpf.junit;

import io.junitebpf.bpf.LibbpfLog;
import io.junitebpf.event.EventStream;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.Serial;
import java.util.List;

/** What a failed eBPF test saw: its libbpf log, its targets' state and output, its events. */
final class Diagnostics {

    static final String HEADER = "--- junit-ebpf diagnostics ---";
    /** Store key of the libbpf lines a failed test printed (its capture is closed by then). */
    static final String LOG_LINES_KEY = Diagnostics.class.getName() + ".libbpf";
    private static final int LOG_LINES = 30;

    /** Carries the diagnostics as a suppressed exception when the failure is not an AssertionError. */
    static final class Report extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        Report(String text) {
            super(text, null, false, false);
        }
    }

    private Diagnostics() {
    }

    /** @param shown the failure's message, whose events are not repeated; null when none */
    static String of(ExtensionContext context, String shown) {
        StringBuilder text = new StringBuilder();
        @SuppressWarnings("unchecked")
        List<String> kept = context.getStore(TestScope.NAMESPACE).get(LOG_LINES_KEY, List.class);
        LibbpfLog log = context.getStore(TestScope.NAMESPACE).get(LibbpfLog.class, LibbpfLog.class);
        List<String> lines = kept != null ? kept : log != null ? log.lines() : List.of();
        if (!lines.isEmpty()) {
            text.append("\nlibbpf log of this test (").append(lines.size()).append(" lines):");
            for (String line : lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size())) {
                text.append("\n  ").append(line);
            }
        }
        for (TestScope scope : TestScope.chain(context)) {
            for (TestScope.Launched launched : scope.processes()) {
                var p = launched.process();
                text.append("\ntarget ").append(p).append(": ").append(p.describeExit());
                List<String> out = p.stdout();
                if (!out.isEmpty()) {
                    text.append(", last stdout: ").append(out.getLast());
                }
            }
        }
        for (EventStream<?> stream : EbpfExtension.streams(context)) {
            // a wait's failure already shows this stream's events (or a view's): once is enough
            if (shown == null || !shown.contains(EventStream.RECENT_HEADER + stream.description())) {
                text.append('\n').append(stream.describeRecent());
            }
        }
        return text.isEmpty() ? "" : HEADER + text;
    }
}
