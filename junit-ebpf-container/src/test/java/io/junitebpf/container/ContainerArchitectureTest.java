package io.junitebpf.container;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.EbpfTest;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container runtime's boundaries: the host↔container protocol and the machinery are not public API; it reaches
 * the extension only through the SPI and the configuration; it makes no FFM call.
 */
class ContainerArchitectureTest {

    private static final JavaClasses CONTAINER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.junitebpf.container");

    @Test
    void onlyConfigurationExceptionsAndTheProviderArePublic() {
        Set<String> published = new TreeSet<>();
        for (JavaClass type : CONTAINER) {
            if (type.getModifiers().contains(JavaModifier.PUBLIC) && type.getEnclosingClass().isEmpty()) {
                published.add(type.getSimpleName());
            }
        }
        assertThat(published).containsExactlyInAnyOrder("ContainerConfig", "PrivilegeProfile", "ContainerException",
                "ContainerRuntimeProvider");
    }

    @Test
    void theExtensionIsReachedOnlyThroughItsSpiAndConfiguration() {
        noClasses().should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.junitebpf.junit..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("io.junitebpf.junit.spi.."))
                        .and(JavaClass.Predicates.equivalentTo(EbpfConfig.class).negate())
                        .and(JavaClass.Predicates.equivalentTo(EbpfTest.Runtime.class).negate()))
                .check(CONTAINER);
    }

    @Test
    void noForeignCalls() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.lang.foreign..",
                "io.junitebpf.bpf.internal..").check(CONTAINER);
    }
}
