package io.junitebpf.junit;

import io.junitebpf.packet.PcapFile;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.AnnotationConsumer;
import org.junit.jupiter.params.support.ParameterDeclarations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** {@link PcapSource}'s arguments: the capture read once per test method, one argument set per packet. */
final class PcapArguments implements ArgumentsProvider, AnnotationConsumer<PcapSource> {

    private PcapSource source;

    @Override
    public void accept(PcapSource annotation) {
        this.source = annotation;
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
        String name = source.value();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("@PcapSource: no capture named (give a classpath resource or a file)");
        }
        PcapFile capture = PcapFile.read(bytes(name, context), name);
        if (capture.linkType() != PcapFile.LINKTYPE_ETHERNET && !source.anyLinkType()) {
            throw new IllegalArgumentException("@PcapSource(\"" + name + "\"): link type " + capture.linkType()
                    + ", not Ethernet (" + PcapFile.LINKTYPE_ETHERNET + "), which XDP and tc programs take"
                    + " (@PcapSource(value = ..., anyLinkType = true) to accept it)");
        }
        List<PcapFile.Record> records = capture.records();
        if (records.isEmpty()) {
            throw new IllegalArgumentException("@PcapSource(\"" + name + "\"): the capture holds no packet");
        }
        return IntStream.range(0, records.size()).mapToObj(i -> {
            PcapFile.Record r = records.get(i);
            String truncated = r.data().length < r.originalLength()
                    ? " of " + r.originalLength() + " on the wire" : "";
            return Arguments.argumentSet("packet " + (i + 1) + " of " + records.size() + ": " + r.data().length
                    + " bytes" + truncated + " at " + r.timestamp(), (Object) r.data());
        });
    }

    /** The resource as the test class's loader finds it, else the file. */
    private static byte[] bytes(String name, ExtensionContext context) {
        ClassLoader loader = context.getRequiredTestClass().getClassLoader();
        try (InputStream in = loader.getResourceAsStream(name.startsWith("/") ? name.substring(1) : name)) {
            if (in != null) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("@PcapSource(\"" + name + "\"): reading the resource failed: "
                    + e.getMessage(), e);
        }
        Path file = Path.of(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("@PcapSource(\"" + name + "\"): no such classpath resource, and no"
                    + " file " + file.toAbsolutePath() + " (put it under src/test/resources, or give a path)");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("@PcapSource(\"" + name + "\"): reading " + file.toAbsolutePath()
                    + " failed: " + e.getMessage(), e);
        }
    }
}
