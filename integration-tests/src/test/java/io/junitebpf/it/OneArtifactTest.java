package io.junitebpf.it;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.ProcessEnvironment;
import io.junitebpf.bpf.RingBuffer;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.demo.SeedEvents.UsdtEvent;
import io.junitebpf.event.EventStream;
import io.junitebpf.event.RecordLayout;
import io.junitebpf.junit.AttachUsdt;
import io.junitebpf.junit.AutoAttach;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.Launch;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's central idea: one artifact. The BPF objects travel inside the bpf
 * jar and are opened from memory, so no .bpf.o is ever written during a run —
 * and opening the same bytes from a file (the one copy this class makes on
 * purpose) gives the same events.
 */
@EbpfTest(objects = "bpf/usdt.bpf.o", strict = EbpfTest.Strictness.STRICT)
class OneArtifactTest {

    private static final List<String> OBJECTS = List.of("bpf/trace_execve.bpf.o", "bpf/probe_execve.bpf.o",
            "bpf/uprobe.bpf.o", "bpf/usdt.bpf.o");
    private static final int ROUNDS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The copies this class writes on purpose, which the scan must not count. */
    private static final Set<Path> WRITTEN_HERE = ConcurrentHashMap.newKeySet();

    /*
     * host-only: a property of the library, not of the kernel, and in the kernel matrix's guests the scan walks the
     * host's file systems over 9p under TCG — 8 to 10 minutes of the matrix when /tmp holds a few checkouts.
     */
    @Test
    @Tag("host-only")
    void objectsComeFromTheJarAndNoBpfObjectIsWrittenDuringTheRun(LoadedObject loaded) throws IOException {
        for (String object : OBJECTS) {
            URL url = getClass().getClassLoader().getResource(object);
            assertThat(url).as("classpath resource %s", object).isNotNull();
            assertThat(url.getProtocol()).as("%s is read from a jar (was the bpf module packaged?)", url)
                    .isEqualTo("jar");
        }
        assertThat(loaded.name()).as("the object the extension loaded from those bytes").isEqualTo("usdt");

        Instant runStarted = jvmStarted();
        List<Path> roots = writableAreas();
        // the bpf module's own build output, where the jar is made: the directory holding that jar
        String jar = getClass().getClassLoader().getResource(OBJECTS.getFirst()).getPath();
        Path bpfBuild = Path.of(java.net.URI.create(jar.substring(0, jar.indexOf("!/")))).getParent();
        List<String> found = new ArrayList<>();
        for (Path root : roots) {
            found.addAll(bpfObjectsWrittenSince(root, runStarted, bpfBuild));
        }
        assertThat(found).as("*.bpf.o files written since this test JVM started (%s), under %s (%s excluded: "
                + "the bpf module builds the jar there)", runStarted, roots, bpfBuild).isEmpty();
    }

    @Test
    @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
    @AutoAttach(program = "func_usdt2")
    void openFileOnTheSameBytesGivesTheSameEvents(
            @Launch(args = {"--count", "" + ROUNDS, "--interval", "10"}) TargetProcess umark,
            @Events EventStream<UsdtEvent> fromMemory, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("usdt.bpf.o");
        WRITTEN_HERE.add(file);
        Files.write(file, resource("bpf/usdt.bpf.o"));
        ProcessEnvironment.prependToPath(umark.executable().getParent());
        List<UsdtEvent> fromFile = new CopyOnWriteArrayList<>();
        try (LoadedObject object = BpfObject.openFile(file).load()) {
            object.program("func_usdt1").attachUsdt(Usdt.of(umark.executable(), "groupa", "probe1")
                    .withPid(umark.pid()));
            object.program("func_usdt2").attach();
            RecordLayout<UsdtEvent> layout = RecordLayout.of(UsdtEvent.class, object.btf());
            RingBuffer ring = object.ringBuffer("events");
            umark.release();
            assertThat(umark.waitFor(TIMEOUT)).as("umark ends after %d rounds: %s", ROUNDS, umark.describeExit())
                    .isTrue();
            while (ring.poll(Duration.ofMillis(100), r -> fromFile.add(layout.decode(r))) > 0) {
                // drain what the run wrote
            }
        }
        List<UsdtEvent> fromBytes = fromMemory.fromProcess(umark.pid()).awaitCount(2 * ROUNDS, TIMEOUT);
        assertThat(withoutTimestamps(fromFile.stream().filter(e -> e.task().tgid() == umark.pid()).toList()))
                .as("events of the object opened from %s, against those of the same bytes opened from memory", file)
                .hasSize(2 * ROUNDS)
                .containsExactlyElementsOf(withoutTimestamps(fromBytes));
    }

    /** Everything but the timestamps, which differ by the time between the two programs' runs. */
    private static List<String> withoutTimestamps(List<UsdtEvent> events) {
        return events.stream().map(e -> e.line().replaceFirst(" \\d+ ", " <t> ")).toList();
    }

    /**
     * When this JVM started, to the clock tick. Not {@code ProcessHandle.info().startInstant()}: that adds the
     * process's start to the boot time of /proc/stat, which is whole seconds, so it can fall up to a second before the
     * real start — before the build wrote this module's test objects (a CI run failed on it by 0.6 s).
     */
    private static Instant jvmStarted() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // the fields after the command name, which is in parentheses and may hold spaces: starttime is field 22
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double startedAfterBoot = Long.parseLong(fields[22 - 3]) / 100.0; // USER_HZ, 100 on Linux
        Instant now = Instant.now();
        double upNow = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        // starttime is whole ticks, rounded down: one tick later errs on the side of a file the build wrote
        return now.minusNanos(Math.round((upNow - startedAfterBoot - 0.01) * 1e9));
    }

    /** Where a run can write: temporary directories, the working directory, the caches, the build outputs. */
    private static List<Path> writableAreas() {
        Set<Path> areas = new LinkedHashSet<>();
        for (String dir : new String[] {System.getProperty("java.io.tmpdir"), "/tmp", "/var/tmp", "/dev/shm",
                System.getProperty("user.dir")}) {
            areas.add(Path.of(dir).toAbsolutePath().normalize());
        }
        areas.add(Umark.executable().getParent().getParent()); // the target cache the umark build writes to
        // the modules' build outputs: from the checkout when it is visible, else (in the container runtime,
        // which sees only the class path) the target directory of every class-path entry
        java.util.Optional<Path> root = ProjectRoot.find();
        if (root.isPresent()) {
            try (var modules = Files.list(root.get())) {
                modules.map(m -> m.resolve("target")).filter(Files::isDirectory).forEach(areas::add);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        } else {
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                for (Path p = Path.of(entry).toAbsolutePath(); p != null; p = p.getParent()) {
                    if (p.getFileName() != null && p.getFileName().toString().equals("target")) {
                        areas.add(p);
                        break;
                    }
                }
            }
        }
        // a directory inside another is walked with it, unless that walk skips it (/dev/shm under /, the working
        // directory in a container)
        List<Path> existing = areas.stream().filter(Files::isDirectory).toList();
        return existing.stream().filter(a -> skipped(a) || existing.stream()
                .noneMatch(other -> !other.equals(a) && a.startsWith(other))).toList();
    }

    /** Pseudo file systems hold no files a run writes (and / is the working directory in a container). */
    private static boolean skipped(Path dir) {
        return dir.startsWith("/proc") || dir.startsWith("/sys") || dir.startsWith("/dev");
    }

    private static List<String> bpfObjectsWrittenSince(Path root, Instant since, Path excluded) throws IOException {
        List<String> found = new ArrayList<>();
        FileTime after = FileTime.from(since);
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                boolean pseudo = skipped(dir) && !skipped(root); // (a root in /dev is walked whole)
                return dir.startsWith(excluded) || pseudo ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.getFileName().toString().endsWith(".bpf.o") && !WRITTEN_HERE.contains(file)
                        && attrs.lastModifiedTime().compareTo(after) >= 0) {
                    found.add(file + " (modified " + attrs.lastModifiedTime() + ")");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // unreadable or gone: not ours
            }
        });
        return found;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OneArtifactTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("classpath resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }
}
