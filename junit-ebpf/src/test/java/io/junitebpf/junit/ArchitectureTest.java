package io.junitebpf.junit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The extension's boundaries: it makes no FFM call and does not reach into native's internals; events and targets
 * know no JUnit; the container runtime is another artifact that the extension knows only through its SPI; what the
 * extension publishes names no internal type.
 */
class ArchitectureTest {

    private static final JavaClasses EXTENSION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption((Location location) -> !location.contains("junit-ebpf-native"))
            .importPackages("io.junitebpf.junit", "io.junitebpf.event", "io.junitebpf.map", "io.junitebpf.target");

    /** Packages whose types may appear in the extension's public signatures besides its own and the JDK's. */
    private static final Set<String> PUBLISHED_FOREIGN = Set.of("io.junitebpf.bpf", "io.junitebpf.btf",
            "io.junitebpf.packet",
            "io.junitebpf.elf", "org.junit.jupiter.api", "org.junit.jupiter.api.extension", "org.assertj.core.api",
            "org.assertj.core.api.iterable");

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
        noClasses().that().resideInAnyPackage("io.junitebpf.event..", "io.junitebpf.map..", "io.junitebpf.target..")
                .should().dependOnClassesThat().resideInAPackage("org.junit..")
                .check(EXTENSION);
    }

    @Test
    void theExtensionKnowsNoContainerTypesNorTestcontainersNorTheLauncher() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.junitebpf.container..",
                        "org.testcontainers..", "com.github.dockerjava..", "org.junit.platform.launcher..")
                .check(EXTENSION);
    }

    @Test
    void theContainerRuntimeIsNotOnThisModulesClassPath() {
        assertAbsent("io.junitebpf.container.ContainerRuntimeProvider");
        assertAbsent("org.testcontainers.DockerClientFactory");
    }

    @Test
    void theSpiDependsOnNothingButTheConfigurationReader() {
        classes().that().resideInAPackage("io.junitebpf.junit.spi..")
                .should().onlyDependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("io.junitebpf.junit.spi..",
                        "java..").or(JavaClass.Predicates.equivalentTo(EbpfConfig.class)))
                .check(EXTENSION);
    }

    @Test
    void publicSignaturesNameNoInternalOrPackagePrivateType() {
        methods().that().arePublic().and().areDeclaredInClassesThat().arePublic()
                .and().areDeclaredInClassesThat().resideInAnyPackage("io.junitebpf..")
                .should(new ArchCondition<>("name only published types in their signature") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaMethod method, ConditionEvents events) {
                        Set<JavaClass> named = new java.util.HashSet<>(method.getRawParameterTypes());
                        named.add(method.getRawReturnType());
                        for (JavaClass type : named) {
                            JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
                            if (base.isPrimitive() || !unpublished.test(base)) {
                                continue;
                            }
                            events.add(SimpleConditionEvent.violated(method, method.getFullName() + " names "
                                    + base.getName()));
                        }
                    }
                }).check(EXTENSION);
    }

    private static final DescribedPredicate<JavaClass> unpublished = new DescribedPredicate<>("unpublished") {
        @Override
        public boolean test(JavaClass type) {
            String pkg = type.getPackageName();
            if (pkg.startsWith("java.")) {
                return false;
            }
            if (pkg.contains(".internal")) {
                return true;
            }
            if (pkg.startsWith("io.junitebpf.junit") || pkg.startsWith("io.junitebpf.event")
                    || pkg.startsWith("io.junitebpf.map")
                    || pkg.startsWith("io.junitebpf.target")) {
                return !type.getModifiers().contains(JavaModifier.PUBLIC);
            }
            return !PUBLISHED_FOREIGN.contains(pkg);
        }
    };

    private static void assertAbsent(String className) {
        try {
            Class.forName(className, false, ArchitectureTest.class.getClassLoader());
            throw new AssertionError(className + " is on junit-ebpf's test class path: the extension must not need it");
        } catch (ClassNotFoundException expected) {
            // the extension's jar and its dependencies do without it
        }
    }
}
