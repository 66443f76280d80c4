/**
 * The container runtime: runs the tests of an {@code @EbpfTest} class in a privileged container when the test JVM
 * cannot load BPF. The extension finds it through {@link io.junitebpf.junit.spi.RemoteRuntime} when this artifact
 * ({@code io.junitebpf:junit-ebpf-container}) is on the test class path; users configure it with the keys of
 * {@link io.junitebpf.container.ContainerConfig} and never call it. The host↔container protocol is package-private.
 */
package io.junitebpf.container;
