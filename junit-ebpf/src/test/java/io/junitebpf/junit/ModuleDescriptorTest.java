package io.junitebpf.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.junitebpf.junit.spi.RemoteRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor the tests (on the class path) never load: it exports exactly the packages
 * with public types, lets JUnit instantiate the package-private extensions, and uses the runtime SPI.
 */
class ModuleDescriptorTest {

    private static final Path CLASSES = Path.of("target/classes");

    private static ModuleDescriptor descriptor() throws IOException {
        try (InputStream in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void exportsEveryPackageWithPublicTypesAndNothingElse() throws IOException {
        Set<String> withPublicTypes = new TreeSet<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("io/junitebpf"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                    if (Modifier.isPublic(type.getModifiers()) && type.getEnclosingClass() == null) {
                        withPublicTypes.add(type.getPackageName());
                    }
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
            }
        }
        ModuleDescriptor module = descriptor();

        assertThat(module.name()).isEqualTo("io.junitebpf.junit");
        assertThat(module.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
        assertThat(module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(withPublicTypes)
                .contains("io.junitebpf.junit", "io.junitebpf.junit.spi", "io.junitebpf.event");
    }

    @Test
    void junitMayInstantiateThePackagePrivateExtensions() throws IOException {
        assertThat(descriptor().opens()).singleElement().satisfies(o -> {
            assertThat(o.source()).isEqualTo(EbpfExtension.class.getPackageName());
            assertThat(o.targets()).containsExactly("org.junit.platform.commons");
        });
    }

    @Test
    void usesTheRemoteRuntimeSpiAndBringsNativeAndJunitToItsUsers() throws IOException {
        ModuleDescriptor module = descriptor();

        assertThat(module.uses()).containsExactly(RemoteRuntime.class.getName());
        assertThat(module.requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name))
                .contains("io.junitebpf.bpf", "org.junit.jupiter.api", "org.assertj.core");
    }
}
