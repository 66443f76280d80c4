package io.junitebpf.maven;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The goals as Maven sees them (the descriptor maven-plugin-plugin generated from the annotations): each bound to
 * the phase that puts its output where the next step needs it.
 */
class PluginDescriptorTest {

    @Test
    void goalsRunInTheOrderObjectsThenRecordsThenTestCompile() throws Exception {
        Map<String, String> phases = new LinkedHashMap<>();
        Document plugin;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/maven/plugin.xml")) {
            assertThat(in).as("plugin.xml (built by maven-plugin-plugin before the tests)").isNotNull();
            plugin = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        NodeList mojos = plugin.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            phases.put(text(mojo, "goal"), text(mojo, "phase"));
            if (text(mojo, "goal").equals("generate-records")) {
                assertThat(text(mojo, "requiresDependencyResolution")).isEqualTo("test");
            }
        }
        assertThat(phases).containsExactlyInAnyOrderEntriesOf(Map.of(
                "compile-bpf", "generate-resources",
                "test-compile-bpf", "generate-test-resources",
                "generate-records", "process-test-resources"));
        assertThat(plugin.getElementsByTagName("goalPrefix").item(0).getTextContent()).isEqualTo("junit-ebpf");
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
    }
}
