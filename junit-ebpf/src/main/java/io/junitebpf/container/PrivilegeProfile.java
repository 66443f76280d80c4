package io.junitebpf.container;

import java.util.Locale;

/**
 * How much the runtime container may do; the value of {@value ContainerConfig#PRIVILEGES_PROPERTY_NAME}.
 *
 * <p>Engines whose own bounding set lacks a capability (a VM without CAP_SYS_RESOURCE, say) refuse
 * {@code --privileged} with "unable to apply caps"; the capability profile asks only for what BPF needs.
 */
public enum PrivilegeProfile {
    /** {@link #PRIVILEGED}, and {@link #CAPABILITIES} when the engine refuses it (logged and reported). */
    AUTO("auto"),
    /** {@code --privileged}. */
    PRIVILEGED("privileged"),
    /**
     * CAP_BPF + CAP_PERFMON where the engine knows them, CAP_SYS_ADMIN otherwise (it implies both on every
     * kernel); seccomp unconfined; {@code /sys/kernel} bind-mounted.
     */
    CAPABILITIES("capabilities");

    private final String value;

    PrivilegeProfile(String value) {
        this.value = value;
    }

    /** The configuration value, e.g. "capabilities". */
    public String value() {
        return value;
    }

    /** Parses a configuration value; a bad one names {@code key} and the value. */
    public static PrivilegeProfile parse(String key, String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (PrivilegeProfile profile : values()) {
            if (profile.value.equals(wanted)) {
                return profile;
            }
        }
        throw new IllegalArgumentException(key + ": invalid value '" + text
                + "' (expected auto, privileged or capabilities)");
    }
}
