/**
 * junit-ebpf's JUnit extension: {@code @EbpfTest} and its annotations, injection, assertions and
 * configuration ({@code io.junitebpf.junit}), typed event streams ({@code io.junitebpf.event}),
 * typed maps and globals ({@code io.junitebpf.map}), targets ({@code io.junitebpf.target}),
 * network namespaces ({@code io.junitebpf.net}), and the service-provider interface for runtimes
 * outside the test JVM ({@code io.junitebpf.junit.spi}), whose implementations live in their own
 * artifacts (the container and VM runtimes) and are found with {@link java.util.ServiceLoader}.
 *
 * <p>Makes no FFM call itself: native ({@code io.junitebpf.bpf}) does, so on the module path it is
 * that module that needs {@code --enable-native-access=io.junitebpf.bpf}. On the class path this
 * descriptor is ignored and everything works as before.
 */
module io.junitebpf.junit {
    requires transitive io.junitebpf.bpf;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    // @PcapSource only: a test that uses it has junit-jupiter-params anyway; transitive, as @PcapSource's
    // meta-annotation @ArgumentsSource is part of what a client compiles against
    requires static transitive org.junit.jupiter.params;

    exports io.junitebpf.junit;
    exports io.junitebpf.junit.spi;
    exports io.junitebpf.event;
    exports io.junitebpf.map;
    exports io.junitebpf.net;
    exports io.junitebpf.target;

    // JUnit instantiates the package-private extensions that @EbpfTest and friends register
    opens io.junitebpf.junit to org.junit.platform.commons;

    uses io.junitebpf.junit.spi.RemoteRuntime;
}
