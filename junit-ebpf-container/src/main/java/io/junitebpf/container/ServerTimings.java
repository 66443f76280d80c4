package io.junitebpf.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Where the time of the run's container tests went, for the one summary line at the end of the run: the round trip
 * the host saw (request written to answer read; a JVM or container start is not in it), and of it what the serving JVM spent creating test-class loaders and running the tests — the rest
 * is the exchange (files, socket) and the host. Median and total, so that a slow suite says what to look at.
 */
final class ServerTimings {

    /** What the serving JVM reported for one test ("done LOAD_MS RUN_MS"). */
    record Split(long loadMillis, long runMillis) {
        static final Split UNKNOWN = new Split(-1, -1);

        static Split parse(String answer) {
            String[] words = answer.trim().split(" ");
            try {
                return words.length == 3 ? new Split(Long.parseLong(words[1]), Long.parseLong(words[2])) : UNKNOWN;
            } catch (NumberFormatException e) {
                return UNKNOWN;
            }
        }
    }

    private final List<Long> roundTrips = new ArrayList<>();
    private final List<Long> loads = new ArrayList<>();
    private final List<Long> runs = new ArrayList<>();

    synchronized void add(Duration roundTrip, Split split) {
        roundTrips.add(roundTrip.toMillis());
        if (split != Split.UNKNOWN) {
            loads.add(split.loadMillis());
            runs.add(split.runMillis());
        }
    }

    /** "32 tests: round trip median 120 ms (total 5.1 s); in the JVM: class loader 40 ms, test 70 ms"; empty if none. */
    synchronized Optional<String> summary() {
        if (roundTrips.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(roundTrips.size() + " tests: round trip median " + median(roundTrips) + " ms (total "
                + total(roundTrips) + "); in the serving JVM: test-class loaders median " + median(loads)
                + " ms (total " + total(loads) + "), tests median " + median(runs) + " ms (total " + total(runs) + ")");
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String total(List<Long> values) {
        return String.format(java.util.Locale.ROOT, "%.1f s", values.stream().mapToLong(Long::longValue).sum() / 1000.0);
    }
}
