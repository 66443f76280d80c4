package io.junitebpf.junit;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user guide's snippets are regions of tests that compile and run, or of the example projects' POMs that
 * scripts/examples builds: keep them identical.
 */
class DocsTest {

    private static final Pattern SNIPPET = Pattern.compile(
            "<!-- snippet: (\\S+)#(\\S+) -->\\n```(java|xml)\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everyGuideSnippetIsARegionOfARunningTest() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = SNIPPET.matcher(readme);
        int count = 0;
        while (m.find()) {
            count++;
            String source = Files.readString(Path.of(m.group(1)));
            boolean xml = m.group(3).equals("xml");
            String open = xml ? "<!-- guide:" + m.group(2) + " -->" : "// guide:" + m.group(2);
            String close = xml ? "<!-- end:" + m.group(2) + " -->" : "// end:" + m.group(2);
            Matcher region = Pattern.compile(Pattern.quote(open) + "\\n(.*?)\\n\\s*" + Pattern.quote(close),
                    Pattern.DOTALL).matcher(source);
            assertThat(region.find()).as("region %s in %s", m.group(2), m.group(1)).isTrue();
            assertThat(m.group(4)).as("README snippet %s#%s", m.group(1), m.group(2))
                    .isEqualTo(region.group(1).stripIndent());
        }
        assertThat(count).as("snippets in README.md").isGreaterThanOrEqualTo(4);
    }
}
