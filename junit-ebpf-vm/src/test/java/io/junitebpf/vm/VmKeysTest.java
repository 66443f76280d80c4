package io.junitebpf.vm;

import io.junitebpf.junit.EbpfConfig;
import org.junit.jupiter.api.Test;

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

/** Every documented VM runtime key is read and every read one documented: the README's table against the constants. */
class VmKeysTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(junit\\.ebpf\\.[a-z.-]+)` \\|", Pattern.MULTILINE);

    @Test
    void theConfigurationTableListsExactlyTheKeysVmConfigReads() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Configuration");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Set<String> documented = new TreeSet<>();
        for (Matcher m = ROW.matcher(section); m.find(); ) {
            documented.add(m.group(1));
        }

        Set<String> read = Arrays.stream(VmConfig.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_PROPERTY_NAME"))
                .map(f -> {
                    try {
                        return (String) f.get(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }).collect(Collectors.toCollection(TreeSet::new));

        assertThat(documented).isNotEmpty().isEqualTo(read);
        assertThat(read).allSatisfy(k -> assertThat(k).startsWith(EbpfConfig.PREFIX + "vm."));
    }
}
