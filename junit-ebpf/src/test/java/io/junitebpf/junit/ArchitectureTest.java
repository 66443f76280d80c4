package io.junitebpf.junit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The extension makes no FFM call and does not reach into native's internals; library packages know no JUnit. */
class ArchitectureTest {

    private static final JavaClasses EXTENSION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption((Location location) -> !location.contains("junit-ebpf-native"))
            .importPackages("io.junitebpf.junit", "io.junitebpf.event", "io.junitebpf.target",
                    "io.junitebpf.container");

    @Test
    void theExtensionMakesNoForeignCalls() {
        noClasses().should().dependOnClassesThat().resideInAPackage("java.lang.foreign..").check(EXTENSION);
    }

    @Test
    void theExtensionDoesNotReachIntoNativeInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.junitebpf.bpf.internal..")
                .check(EXTENSION);
    }

    @Test
    void eventsAndTargetsAreUsableWithoutJunit() {
        noClasses().that().resideInAnyPackage("io.junitebpf.event..", "io.junitebpf.target..")
                .should().dependOnClassesThat().resideInAPackage("org.junit..")
                .check(EXTENSION);
    }
}
