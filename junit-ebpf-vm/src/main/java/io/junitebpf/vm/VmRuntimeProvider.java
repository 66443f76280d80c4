package io.junitebpf.vm;

import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.spi.RemoteRuntime;
import io.junitebpf.junit.spi.TestOutcome;
import io.junitebpf.junit.spi.TestRequest;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.util.Optional;

/**
 * The VM runtime as the extension sees it: chosen when {@value EbpfConfig#KERNEL_PROPERTY_NAME} names a kernel,
 * listed in {@code META-INF/services}, so adding this artifact to the test class path is all a user does. Every
 * test class of the run shares one guest per kernel.
 */
public final class VmRuntimeProvider implements RemoteRuntime {

    /**
     * The start of the line each test run in a guest prints on its standard output, followed by the report entry's
     * value: {@code junit.ebpf.remote: vm: Linux 6.1.0-50-amd64 (tcg)}.
     */
    public static final String RAN_ON = "junit.ebpf.remote: ";

    /** For {@link java.util.ServiceLoader}. */
    public VmRuntimeProvider() {
    }

    @Override
    public String name() {
        return "vm";
    }

    /** Bad configuration, a kernel that cannot be fetched or has no BTF, missing QEMU: said before any test runs. */
    @Override
    public Optional<String> problem(EbpfConfig config) {
        try {
            return Guests.problem(VmConfig.from(config));
        } catch (ExtensionConfigurationException | VmException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public Session open(String testClass, EbpfConfig config) {
        Guest guest = Guests.guest(VmConfig.from(config));
        return new Session() {
            @Override
            public TestOutcome run(TestRequest request) {
                TestOutcome outcome = guest.run(request).toOutcome();
                // Surefire's XML drops JUnit report entries; a line in the test's own output is kept with the test,
                // so a report (scripts/kernel-matrix) can say which kernel each test ran on
                System.out.println(RAN_ON + outcome.where());
                return outcome;
            }

            @Override
            public void close() {
                // the guest serves the next class too; Guests stops it when the JVM exits
            }
        };
    }
}
