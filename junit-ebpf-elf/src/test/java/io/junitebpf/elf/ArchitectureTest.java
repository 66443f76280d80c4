package io.junitebpf.elf;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The readers stay pure Java: no FFM, no JUnit, nothing of the libbpf binding, nothing outside
 * {@code java.base} — the Maven plugin loads them at build time, native at test time.
 */
class ArchitectureTest {

    private static final JavaClasses READERS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.junitebpf.elf", "io.junitebpf.btf");

    @Test
    void noForeignFunctionApi() {
        noClasses().should().dependOnClassesThat().resideInAPackage("java.lang.foreign..").check(READERS);
    }

    @Test
    void noJunit() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.junit..", "org.opentest4j..")
                .check(READERS);
    }

    @Test
    void onlyTheJdkBaseAndEachOther() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.junitebpf.elf..", "io.junitebpf.btf..", "java.lang..", "java.util..",
                        "java.io..", "java.nio..")
                .check(READERS);
    }

    @Test
    void theElfReaderDoesNotKnowBtf() {
        noClasses().that().resideInAPackage("io.junitebpf.elf..")
                .should().dependOnClassesThat().resideInAPackage("io.junitebpf.btf..")
                .check(READERS);
    }
}
