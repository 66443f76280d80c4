package io.junitebpf.container;

/**
 * How much the runtime container may do; the value of {@value ContainerConfig#PRIVILEGES_PROPERTY_NAME} in lower case.
 *
 * <p>Engines whose own bounding set lacks a capability (a VM without CAP_SYS_RESOURCE, say) refuse
 * {@code --privileged} with "unable to apply caps"; the capability profile asks only for what BPF needs.
 */
public enum PrivilegeProfile {
    /** {@link #PRIVILEGED}, and {@link #CAPABILITIES} when the engine refuses it (logged and reported). */
    AUTO,
    /** {@code --privileged}. */
    PRIVILEGED,
    /**
     * CAP_BPF + CAP_PERFMON where the engine knows them, CAP_SYS_ADMIN otherwise (it implies both on every
     * kernel); CAP_NET_ADMIN for networking tests; seccomp unconfined; {@code /sys/kernel} bind-mounted.
     */
    CAPABILITIES
}
