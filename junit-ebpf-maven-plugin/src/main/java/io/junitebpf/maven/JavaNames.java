package io.junitebpf.maven;

import java.util.Locale;
import java.util.Set;

/** C names → Java names (back by {@link io.junitebpf.btf.CNames}, the rule junit-ebpf's record check uses). */
final class JavaNames {

    private static final Set<String> RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "_",
            // accessors a record component may not declare with another return type
            "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone", "finalize", "equals");

    private JavaNames() {
    }

    /** {@code parent_comm} → {@code parentComm}; a Java keyword gets a trailing underscore. */
    static String component(String cName) {
        String camel = camel(cName, false);
        return RESERVED.contains(camel) ? camel + "_" : camel;
    }

    /** {@code uprobe_event} → {@code UprobeEvent}, {@code usdt.bpf.o} → {@code UsdtBpf}. */
    static String type(String cName) {
        return camel(cName, true);
    }

    private static String camel(String name, boolean upperFirst) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = upperFirst;
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!Character.isLetterOrDigit(ch)) {
                upper = !out.isEmpty() || upperFirst;
                continue;
            }
            out.append(upper ? Character.toUpperCase(ch) : ch);
            upper = false;
        }
        if (out.isEmpty() || !Character.isJavaIdentifierStart(out.charAt(0))) {
            out.insert(0, upperFirst ? "T" : "m");
        }
        return out.toString();
    }


    /** A package name from a Maven group id: {@code com.example-corp} → {@code com.example_corp}. */
    static String packageName(String groupId) {
        StringBuilder out = new StringBuilder();
        for (String part : groupId.toLowerCase(Locale.ROOT).split("\\.")) {
            String p = part.replaceAll("[^a-z0-9_]", "_");
            if (p.isEmpty()) {
                continue;
            }
            if (!Character.isJavaIdentifierStart(p.charAt(0)) || RESERVED.contains(p)) {
                p = "_" + p;
            }
            out.append(out.isEmpty() ? "" : ".").append(p);
        }
        return out.toString();
    }
}
