package io.junitebpf.maven;

import java.util.ArrayList;
import java.util.List;

/** Reads the make rule clang writes with {@code -MD -MF}: the object's target and every file it was built from. */
final class DependencyFile {

    private DependencyFile() {
    }

    /** The prerequisites (source and headers) of {@code target: a.c b.h \ c.h}; escaped spaces kept. */
    static List<String> inputs(String rule) {
        String joined = rule.replace("\\\n", " ").replace("\\\r\n", " ");
        int colon = joined.indexOf(": ");
        if (colon < 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        String body = joined.substring(colon + 2);
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (ch == '\\' && i + 1 < body.length() && body.charAt(i + 1) == ' ') {
                cur.append(' ');
                i++;
            } else if (Character.isWhitespace(ch)) {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(ch);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }
}
