package io.junitebpf.junit;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.junitebpf.bpf.Libbpf;
import io.junitebpf.target.NativeBuild;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Every documented key is read and every read key is documented: the guide's table against the constants. */
class ConfigurationKeysTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(junit\\.ebpf\\.[a-z.-]+)` \\|", Pattern.MULTILINE);

    @Test
    void theConfigurationTableListsExactlyTheKeysTheCodeReads() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Configuration"),
                readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1));
        Set<String> documented = new TreeSet<>();
        for (Matcher m = ROW.matcher(section); m.find(); ) {
            documented.add(m.group(1));
        }

        Set<String> read = new TreeSet<>(keys(EbpfConfig.class));
        // native's keys and the target builder's: every public String constant holding a junit.ebpf. key
        read.addAll(keyConstants(Libbpf.class.getPackageName()));
        read.addAll(keyConstants(NativeBuild.class.getPackageName()));

        assertThat(read).contains(Libbpf.LIBRARY_PATH_PROPERTY, Libbpf.DEBUG_LOG_PROPERTY, NativeBuild.CACHE_PROPERTY);
        assertThat(documented).isEqualTo(read);
        assertThat(read).allSatisfy(k -> assertThat(k).startsWith(EbpfConfig.PREFIX));
    }

    /** The public static String constants of the package's classes whose value is a key (starts with junit.ebpf.). */
    static Set<String> keyConstants(String packageName) {
        Set<String> keys = new TreeSet<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packageName)) {
            if (!type.getPackageName().equals(packageName)) {
                continue; // not its subpackages (native's internals hold no keys)
            }
            for (Field f : type.reflect().getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                        && f.getDeclaringClass() == type.reflect()) {
                    String value = value(f);
                    if (value.startsWith(EbpfConfig.PREFIX) && !value.equals(EbpfConfig.PREFIX)) {
                        keys.add(value);
                    }
                }
            }
        }
        return keys;
    }

    /** The values of the public *_PROPERTY_NAME constants of {@code type}. */
    static Set<String> keys(Class<?> type) {
        return Arrays.stream(type.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_PROPERTY_NAME"))
                .map(ConfigurationKeysTest::value).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
