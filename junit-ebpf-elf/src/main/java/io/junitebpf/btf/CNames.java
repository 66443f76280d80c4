package io.junitebpf.btf;

/**
 * The one rule that maps a Java name to the C name of a BTF type or member when no annotation names it:
 * camelCase → snake_case. The extension checks records by it and the Maven plugin generates records by it, so a
 * generated record and a hand-written one find the same members.
 */
public final class CNames {

    private CNames() {
    }

    /** "UprobeEvent" → "uprobe_event", "timestampNs" → "timestamp_ns", "arg1" → "arg1", "HTTPCode" → "http_code". */
    public static String snakeCase(String camel) {
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
