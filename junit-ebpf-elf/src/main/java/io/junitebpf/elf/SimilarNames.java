package io.junitebpf.elf;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Picks the existing names closest to a missing one, for "did you mean" messages: a typo such as
 * {@code func_uprobe3} should point at {@code func_uprobe1} and {@code func_uprobe2}.
 */
final class SimilarNames {

    private SimilarNames() {
    }

    private record Scored(String name, int distance) {
    }

    /**
     * Returns up to {@code limit} names within a small edit distance of {@code wanted} (or
     * containing it), closest first.
     */
    static List<String> closest(String wanted, Collection<String> names, int limit) {
        int threshold = Math.max(2, wanted.length() / 3);
        List<Scored> scored = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            if (name.equals(wanted)) {
                continue;
            }
            if (!wanted.isEmpty() && name.contains(wanted)) {
                // "malloc" for "__libc_malloc": not a typo, but what the user is looking for.
                scored.add(new Scored(name, threshold));
            } else if (Math.abs(name.length() - wanted.length()) <= threshold) {
                int d = distance(wanted, name, threshold);
                if (d <= threshold) {
                    scored.add(new Scored(name, d));
                }
            }
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
        return scored.stream().limit(limit).map(Scored::name).toList();
    }

    /** Levenshtein distance, giving up (returning {@code bound + 1}) once it exceeds bound. */
    private static int distance(String a, String b, int bound) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMinimum = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
                rowMinimum = Math.min(rowMinimum, current[j]);
            }
            if (rowMinimum > bound) {
                return bound + 1;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
