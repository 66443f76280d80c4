/**
 * The service-provider interface for runtimes that run {@code @EbpfTest} classes outside the test JVM (a privileged
 * container: {@code io.junitebpf:junit-ebpf-container}; a VM). Implement {@link io.junitebpf.junit.spi.RemoteRuntime}
 * and list it in {@code META-INF/services}; users only add the artifact to the test class path.
 */
package io.junitebpf.junit.spi;
