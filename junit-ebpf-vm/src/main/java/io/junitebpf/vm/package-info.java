/**
 * The VM runtime: runs the tests of every {@code @EbpfTest} class on another kernel in a QEMU guest when
 * {@value io.junitebpf.junit.EbpfConfig#KERNEL_PROPERTY_NAME} (or {@code @EbpfTest(kernel = ...)}) names one. The
 * extension finds it through {@link io.junitebpf.junit.spi.RemoteRuntime} when this artifact
 * ({@code io.junitebpf:junit-ebpf-vm}) is on the test class path; users configure it with the keys of
 * {@link io.junitebpf.vm.VmConfig} and never call it.
 */
package io.junitebpf.vm;
