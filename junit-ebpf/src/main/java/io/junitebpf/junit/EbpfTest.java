package io.junitebpf.junit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that verifies BPF programs on the running kernel.
 *
 * <p>Each object named in {@link #objects()} is read from the classpath and
 * opened from memory ({@code bpf_object__open_mem}), loaded, and closed again
 * after each test (or after the class, with {@link Lifecycle#PER_CLASS}).
 * Test methods receive what they need as parameters: the {@code LoadedObject},
 * {@code @Bpf("name") Program}, {@code @Bpf("name") BpfMap},
 * {@code @Events("map") EventStream<MyRecord>}, and {@code @Launch("umark") TargetProcess}.
 * Attachments can be declared ({@link AttachUsdt}, {@link AttachUprobe},
 * {@link AttachTracepoint}, {@link AttachKprobe}, {@link AutoAttach}) or made
 * in the test. After each test nothing it created stays attached, open or running.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag("ebpf")
@ExtendWith({EnvironmentExtension.class, EbpfExtension.class, EbpfParameterResolver.class})
public @interface EbpfTest {

    /** Classpath resources of the BPF objects to load, e.g. "bpf/usdt.bpf.o". */
    String[] objects() default {};

    /** When objects are loaded and closed. */
    Lifecycle lifecycle() default Lifecycle.PER_METHOD;

    /**
     * Whether to check after each test that every program, link, ring buffer and
     * target process it created is gone (also via {@value EbpfConfig#STRICT_PROPERTY_NAME}).
     * Target processes are the {@link Launch} ones and those the test method started itself with
     * {@code TargetProcess.launch} on its thread or a thread it started; the check kills the latter.
     */
    Strictness strict() default Strictness.DEFAULT;

    /**
     * Where the tests run: in this JVM, or in a privileged container when this JVM
     * cannot load BPF (with {@code io.junitebpf:junit-ebpf-container} on the test
     * class path). DEFAULT follows {@value EbpfConfig#RUNTIME_PROPERTY_NAME}
     * (property or JUNIT_EBPF_RUNTIME), else AUTO.
     */
    Runtime runtime() default Runtime.DEFAULT;

    /**
     * The kernel to run the tests on, in a VM ({@code io.junitebpf:junit-ebpf-vm} on the test class path): "5.10",
     * "6.1", "6.12", "latest" or the path of a kernel image; empty (or "host") runs them as {@link #runtime()} says.
     * {@value EbpfConfig#KERNEL_PROPERTY_NAME} (property or JUNIT_EBPF_KERNEL) beats it.
     */
    String kernel() default "";

    /**
     * Where tests run; also the values of {@value EbpfConfig#RUNTIME_PROPERTY_NAME}
     * in lower case with '-' ("never-container"). The annotation beats the property
     * and the environment.
     */
    enum Runtime {
        /** As configured, else AUTO. */
        DEFAULT,
        /**
         * In this JVM when it can load BPF, else in a container when the container runtime is on the
         * class path and a Docker engine answers, else skip naming both reasons.
         */
        AUTO,
        /** Always in this JVM. */
        IN_PROCESS,
        /** Always in a container; fail when none can be started. */
        CONTAINER,
        /** In this JVM when it can load BPF, else skip. */
        NEVER_CONTAINER
    }

    /** Scope of loaded objects. */
    enum Lifecycle {
        /** A fresh load for every test method (the default: tests never see each other's state). */
        PER_METHOD,
        /** One load shared by the tests of the class (faster; tests share maps and links). */
        PER_CLASS
    }

    /** Leak checking. */
    enum Strictness {
        /** As configured by {@value EbpfConfig#STRICT_PROPERTY_NAME} (default off). */
        DEFAULT,
        /** Fail a test that leaves anything behind. */
        STRICT,
        /** Do not check. */
        LENIENT
    }
}
