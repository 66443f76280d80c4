/**
 * The protocol between the test JVM and the JVM of a remote runtime (a privileged container, a VM), shared by
 * {@code io.junitebpf:junit-ebpf-container} and {@code io.junitebpf:junit-ebpf-vm}: a {@link io.junitebpf.remote.Exchange
 * request file} in, a {@link io.junitebpf.remote.RemoteTestResult response file} out, and
 * {@link io.junitebpf.remote.RemoteTestMain} running the test on the remote side. Users never call it.
 */
package io.junitebpf.remote;
