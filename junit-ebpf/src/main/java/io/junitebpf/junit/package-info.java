/**
 * The JUnit Jupiter extension: {@link io.junitebpf.junit.EbpfTest} (or {@link io.junitebpf.junit.Ebpf} for
 * {@code @RegisterExtension}) loads BPF objects from classpath bytes, makes declared attachments, injects programs,
 * maps, typed event streams and targets, and closes all of it after each test; {@link io.junitebpf.junit.EbpfConfig}
 * holds the configuration keys; {@link io.junitebpf.junit.EbpfAssertions} is the assertion entry point. Where a test
 * runs when this JVM cannot load BPF is the business of a {@link io.junitebpf.junit.spi.RemoteRuntime}.
 */
package io.junitebpf.junit;
