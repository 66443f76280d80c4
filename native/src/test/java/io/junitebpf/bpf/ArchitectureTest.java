package io.junitebpf.bpf;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The module's boundaries: FFM only in bpf.internal, no raw segments in the public API, no JUnit. */
class ArchitectureTest {

    private static final JavaClasses NATIVE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.junitebpf");

    @Test
    void onlyTheInternalPackageUsesTheForeignFunctionApi() {
        noClasses().that().resideOutsideOfPackage("io.junitebpf.bpf.internal..")
                .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
                .check(NATIVE);
    }

    @Test
    void publicMethodsNeverExposeMemorySegments() {
        methods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should().notHaveRawReturnType(MemorySegment.class)
                .andShould().notHaveRawParameterTypes(MemorySegment.class)
                .check(NATIVE);
    }

    @Test
    void theBindingKnowsNothingOfJunit() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.junit..").check(NATIVE);
    }

    @Test
    void junitEbpfKeysAreReadOnlyThroughConfiguration() {
        // KernelVersion reads os.version and Syscalls os.arch: the JDK's properties, not junit-ebpf keys
        noClasses().that().doNotBelongToAnyOf(Configuration.class, KernelVersion.class)
                .and().doNotHaveFullyQualifiedName("io.junitebpf.bpf.internal.Syscalls")
                .should().callMethod(System.class, "getProperty", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class, String.class)
                .orShould().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getenv")
                .orShould().callMethod(Boolean.class, "getBoolean", String.class)
                .orShould().callMethod(Integer.class, "getInteger", String.class)
                .orShould().callMethod(Long.class, "getLong", String.class)
                .check(NATIVE);
    }

    @Test
    void thePacketBuilderIsPureJava() {
        noClasses().that().resideInAPackage("io.junitebpf.packet..")
                .should().dependOnClassesThat().resideInAPackage("io.junitebpf.bpf..")
                .check(NATIVE);
    }

    @Test
    void theElfAndBtfReadersAreNotPartOfThisModule() {
        // they are junit-ebpf-elf (module io.junitebpf.elf), which the plugin uses too; a class of theirs
        // compiled here again would be a second reader
        noClasses().should().resideInAnyPackage("io.junitebpf.elf..", "io.junitebpf.btf..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .withImportOption(location -> location.contains("/native/target/"))
                        .importPackages("io.junitebpf"));
    }
}
