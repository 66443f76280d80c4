package io.junitebpf.target;

import io.junitebpf.elf.ElfFile;
import io.junitebpf.elf.ElfSection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the file of a shared library as a target loads it ({@code libjvm.so}, {@code libgreet.so}),
 * in the order the dynamic loader would, and then where a runtime keeps what it dlopens:
 * <ol>
 *   <li>the process's {@code /proc/PID/maps}, once it runs the executable and has the library mapped;</li>
 *   <li>the executable's {@code DT_NEEDED} libraries, transitively, each searched in the needing
 *       file's {@code DT_RPATH} (when it has no {@code DT_RUNPATH}), the target's
 *       {@code LD_LIBRARY_PATH}, {@code DT_RUNPATH} ({@code $ORIGIN} expanded), the
 *       {@code ldconfig -p} cache and the default directories;</li>
 *   <li>for a library the runtime dlopens (a JDK's {@code libjvm.so}): the executable's
 *       installation root — the parent of its {@code bin/} directory, symlinks resolved —
 *       searched {@value #ROOT_DEPTH} levels deep.</li>
 * </ol>
 * A name with a version ({@code libc.so.6}) must match exactly; {@code libfoo.so} also matches
 * {@code libfoo.so.1}.
 */
public final class SharedLibraries {

    private static final int ROOT_DEPTH = 4;
    private static final int MAX_LIBRARIES = 200;
    private static final long DT_NEEDED = 1;
    private static final long DT_RPATH = 15;
    private static final long DT_RUNPATH = 29;
    private static final List<String> DEFAULT_DIRS = List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64",
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu");

    private SharedLibraries() {
    }

    /**
     * The library {@code name} as the target would load it.
     *
     * @param name        a file name, e.g. {@code libjvm.so}
     * @param executable  the target's executable
     * @param environment the target's own environment variables (its {@code LD_LIBRARY_PATH}
     *                    wins over the JVM's, which it inherits otherwise)
     * @param pid         the target's pid, or -1 when there is no process to look at
     * @throws TargetException when not found; the message lists every place searched
     */
    public static Path resolve(String name, Path executable, Map<String, String> environment, int pid) {
        if (name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException("shared library '" + name + "': give a file name like libjvm.so");
        }
        List<String> looked = new ArrayList<>();
        Path exe = real(executable);
        if (pid > 0) {
            Optional<Path> mapped = mapped(name, exe, pid, looked);
            if (mapped.isPresent()) {
                return mapped.get();
            }
        }
        String ldPath = environment.getOrDefault("LD_LIBRARY_PATH", System.getenv("LD_LIBRARY_PATH"));
        Optional<Path> needed = needed(name, exe, ldPath, looked);
        if (needed.isPresent()) {
            return needed.get();
        }
        Path bin = exe.getParent();
        if (bin != null && bin.getParent() != null) {
            Path root = bin.getFileName().toString().equals("bin") ? bin.getParent() : bin;
            looked.add("the installation root " + root + " (" + ROOT_DEPTH + " levels)");
            try (Stream<Path> files = Files.find(root, ROOT_DEPTH,
                    (p, a) -> a.isRegularFile() && matches(name, p.getFileName().toString()))) {
                Optional<Path> found = files.sorted().findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                looked.add("(" + root + " unreadable: " + e.getMessage() + ")");
            }
        }
        throw new TargetException("resolve shared library " + name + " of " + executable + ": not found; looked in "
                + String.join("; ", looked) + " (give the library's absolute path instead, or set LD_LIBRARY_PATH"
                + " in the target's environment)", null);
    }

    /** Whether a file name is the library asked for: exactly, or a versioned file of an unversioned name. */
    static boolean matches(String wanted, String file) {
        return file.equals(wanted) || (wanted.endsWith(".so") && file.startsWith(wanted + "."));
    }

    private static Optional<Path> mapped(String name, Path exe, int pid, List<String> looked) {
        Path proc = Path.of("/proc", Integer.toString(pid));
        try {
            // a gated target may still be its gate shell: its mappings are not the target's
            if (!real(proc.resolve("exe")).equals(exe)) {
                looked.add("/proc/" + pid + "/maps (not yet exec'ed)");
                return Optional.empty();
            }
            looked.add("/proc/" + pid + "/maps");
            for (String line : Files.readAllLines(proc.resolve("maps"))) {
                int slash = line.indexOf('/');
                if (slash > 0) {
                    Path file = Path.of(line.substring(slash));
                    if (matches(name, file.getFileName().toString())) {
                        return Optional.of(file);
                    }
                }
            }
        } catch (IOException e) {
            looked.add("/proc/" + pid + "/maps (unreadable: " + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    private static Optional<Path> needed(String name, Path exe, String ldPath, List<String> looked) {
        Set<String> dirs = new LinkedHashSet<>();
        Set<Path> seen = new LinkedHashSet<>();
        ArrayDeque<Path> queue = new ArrayDeque<>(List.of(exe));
        List<String> cache = null;
        while (!queue.isEmpty() && seen.size() < MAX_LIBRARIES) {
            Path file = queue.poll();
            if (!seen.add(file)) {
                continue;
            }
            Dynamic dynamic = dynamic(file);
            List<String> search = new ArrayList<>();
            String origin = file.getParent().toString();
            if (dynamic.runpath().isEmpty()) {
                search.addAll(split(dynamic.rpath(), origin));
            }
            search.addAll(split(ldPath, origin));
            search.addAll(split(dynamic.runpath(), origin));
            dirs.addAll(search);
            for (String lib : dynamic.needed()) {
                Optional<Path> found = inDirs(lib, search);
                if (found.isEmpty()) {
                    if (cache == null) {
                        cache = ldconfigCache();
                    }
                    found = cache.stream().filter(p -> Path.of(p).getFileName().toString().equals(lib))
                            .map(Path::of).filter(Files::isRegularFile).findFirst();
                }
                if (found.isEmpty()) {
                    found = inDirs(lib, DEFAULT_DIRS);
                }
                if (found.isPresent()) {
                    if (matches(name, lib)) {
                        return found;
                    }
                    queue.add(real(found.get()));
                }
            }
        }
        looked.add("the DT_NEEDED libraries of " + exe + " and their dependencies (" + seen.size() + " files)"
                + (dirs.isEmpty() ? "" : ", searched in " + String.join(":", dirs))
                + ", the ldconfig cache and " + String.join(":", DEFAULT_DIRS));
        return Optional.empty();
    }

    private static Optional<Path> inDirs(String lib, List<String> dirs) {
        return dirs.stream().map(d -> Path.of(d, lib)).filter(Files::isRegularFile).findFirst()
                .or(() -> dirs.stream().map(d -> Path.of(d, lib)).filter(Files::exists).findFirst());
    }

    private static List<String> split(String path, String origin) {
        if (path == null || path.isBlank()) {
            return List.of();
        }
        List<String> dirs = new ArrayList<>();
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                dirs.add(dir.replace("${ORIGIN}", origin).replace("$ORIGIN", origin));
            }
        }
        return dirs;
    }

    private record Dynamic(List<String> needed, String rpath, String runpath) {
    }

    /** DT_NEEDED, DT_RPATH and DT_RUNPATH of a 64-bit little-endian ELF file (x86_64, arm64). */
    private static Dynamic dynamic(Path file) {
        ElfFile elf;
        try {
            elf = ElfFile.read(file);
        } catch (RuntimeException e) {
            return new Dynamic(List.of(), "", "");
        }
        Optional<ElfSection> dynamic = elf.section(".dynamic");
        Optional<ElfSection> strings = elf.section(".dynstr");
        if (dynamic.isEmpty() || strings.isEmpty()) {
            return new Dynamic(List.of(), "", "");
        }
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer entries = read(channel, dynamic.get());
            ByteBuffer table = read(channel, strings.get());
            List<String> needed = new ArrayList<>();
            String rpath = "";
            String runpath = "";
            while (entries.remaining() >= 16) {
                long tag = entries.getLong();
                long value = entries.getLong();
                if (tag == 0) {
                    break;
                }
                if (tag == DT_NEEDED) {
                    needed.add(string(table, value));
                } else if (tag == DT_RPATH) {
                    rpath = string(table, value);
                } else if (tag == DT_RUNPATH) {
                    runpath = string(table, value);
                }
            }
            return new Dynamic(needed, rpath, runpath);
        } catch (IOException | RuntimeException e) {
            return new Dynamic(List.of(), "", "");
        }
    }

    private static ByteBuffer read(FileChannel channel, ElfSection section) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(section.size())).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(buffer, section.offset());
        return buffer.flip();
    }

    private static String string(ByteBuffer table, long offset) {
        int start = Math.toIntExact(offset);
        int end = start;
        while (end < table.limit() && table.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        table.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The paths of {@code ldconfig -p}: "libc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6". */
    private static List<String> ldconfigCache() {
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")) {
            try {
                Process process = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
                List<String> paths = new ArrayList<>();
                for (String line : new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .split("\n")) {
                    int arrow = line.indexOf("=> ");
                    if (arrow > 0) {
                        paths.add(line.substring(arrow + 3).strip());
                    }
                }
                process.waitFor(10, TimeUnit.SECONDS);
                return paths;
            } catch (IOException e) {
                // try the next location
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath();
        }
    }
}
