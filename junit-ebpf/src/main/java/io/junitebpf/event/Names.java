package io.junitebpf.event;

/** Java camelCase ↔ C snake_case. */
final class Names {

    private Names() {
    }

    /** "UprobeEvent" → "uprobe_event", "timestampNs" → "timestamp_ns", "arg1" → "arg1". */
    static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch)) {
                if (i > 0 && (Character.isLowerCase(camel.charAt(i - 1)) || Character.isDigit(camel.charAt(i - 1))
                        || (i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1))))) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
