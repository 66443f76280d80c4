package io.junitebpf.junit;

import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Kprobe;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.Uprobe;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.elf.ElfException;
import io.junitebpf.elf.ElfFile;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the attachments a test declares, class-level ones first. The links
 * belong to the loaded object and detach when it closes.
 */
final class Attachments {

    private Attachments() {
    }

    static void attachDeclared(ExtensionContext context) {
        List<AnnotatedElement> elements = new ArrayList<>();
        elements.add(context.getRequiredTestClass());
        context.getTestMethod().ifPresent(elements::add);
        for (AnnotatedElement element : elements) {
            for (AttachUsdt a : Declared.repeatable(element, AttachUsdt.class)) {
                usdt(context, a);
            }
            for (AttachUprobe a : Declared.repeatable(element, AttachUprobe.class)) {
                uprobe(context, a);
            }
            for (AttachTracepoint a : Declared.repeatable(element, AttachTracepoint.class)) {
                tracepoint(context, a);
            }
            for (AttachKprobe a : Declared.repeatable(element, AttachKprobe.class)) {
                Program program = program(context, a.object(), a.program(), "@AttachKprobe");
                Kprobe probe = a.syscall() ? Kprobe.syscall(a.function()) : Kprobe.function(a.function());
                own(context, program.attachKprobe(a.retprobe() ? probe.returning() : probe));
            }
            for (AutoAttach a : Declared.repeatable(element, AutoAttach.class)) {
                own(context, program(context, a.object(), a.program(), "@AutoAttach").attach());
            }
        }
    }

    private static void usdt(ExtensionContext context, AttachUsdt a) {
        String where = "@AttachUsdt(program = \"" + a.program() + "\", probe = \"" + a.probe() + "\")";
        String[] parts = a.probe().split(":");
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new ExtensionConfigurationException(where + ": probe must be \"provider:name\"");
        }
        Targets.Site site = Targets.site(context, a.binary(), a.process(), a.target(), where);
        try {
            ElfFile.read(site.binary()).usdtProbe(parts[0], parts[1]);
        } catch (ElfException e) {
            throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
        }
        Usdt usdt = Usdt.of(site.binary(), parts[0], parts[1]);
        int pid = site.pid();
        Program program = program(context, a.object(), a.program(), where);
        Targets.explainDeath(context, site.process(), where,
                () -> own(context, program.attachUsdt(pid > 0 ? usdt.withPid(pid) : usdt)));
    }

    private static void uprobe(ExtensionContext context, AttachUprobe a) {
        String where = "@AttachUprobe(program = \"" + a.program() + "\", function = \"" + a.function() + "\")";
        Targets.Site site = Targets.site(context, a.binary(), a.process(), a.target(), where);
        Path binary = site.binary();
        long offset;
        try {
            offset = ElfFile.read(binary).fileOffset(a.function());
        } catch (ElfException e) {
            throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
        }
        Uprobe probe = a.byOffset() ? Uprobe.offset(binary, offset) : Uprobe.function(binary, a.function());
        if (a.retprobe()) {
            probe = probe.returning();
        }
        int pid = site.pid();
        Program program = program(context, a.object(), a.program(), where);
        Uprobe target = pid > 0 ? probe.withPid(pid) : probe;
        Targets.explainDeath(context, site.process(), where, () -> own(context, program.attachUprobe(target)));
    }

    private static void tracepoint(ExtensionContext context, AttachTracepoint a) {
        String where = "@AttachTracepoint(program = \"" + a.program() + "\", tracepoint = \"" + a.tracepoint()
                + "\")";
        String[] parts = a.tracepoint().split(":");
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new ExtensionConfigurationException(where + ": tracepoint must be \"category:name\"");
        }
        own(context, program(context, a.object(), a.program(), where).attachTracepoint(parts[0], parts[1]));
    }

    /** A declared attachment lasts for its test: with PER_CLASS the object outlives it, the link must not. */
    private static void own(ExtensionContext context, io.junitebpf.bpf.Link link) {
        TestScope.current(context).addLink(link);
    }

    static Program program(ExtensionContext context, String object, String name, String where) {
        if (name.isBlank()) {
            throw new ExtensionConfigurationException(where + ": empty program name");
        }
        LoadedObject loaded = ObjectLookup.find(context, object, where,
                o -> o.programs().stream().anyMatch(p -> p.name().equals(name))).object();
        return loaded.program(name);
    }
}
