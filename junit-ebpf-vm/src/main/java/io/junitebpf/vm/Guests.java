package io.junitebpf.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM-wide registry of guests: each kernel is prepared once (downloaded, unpacked, its BTF checked), the
 * accelerator is chosen once and logged, and one {@link Guest} per kernel serves every test class of the run. A
 * shutdown hook stops the guests; if this JVM is killed, the boot script notices and stops QEMU itself.
 */
final class Guests {

    private static final System.Logger LOG = System.getLogger(Guests.class.getName());
    private static final Map<String, Prepared> PREPARED = new ConcurrentHashMap<>();
    private static final Map<String, Guest> RUNNING = new ConcurrentHashMap<>();
    private static final Map<VmConfig.Accel, AccelChoice> ACCEL = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.values().parallelStream().forEach(Guest::close),
                "junit-ebpf vm shutdown"));
    }

    /** A prepared guest directory (vmlinux, initramfs.cpio, version, package, btf), or why there is none. */
    record Prepared(Optional<Path> dir, Optional<String> problem) {
    }

    /** The accelerator decision of accel.sh: kvm or tcg, QEMU's -cpu, and why. */
    record AccelChoice(String accel, String cpu, String reason) {
    }

    private Guests() {
    }

    /**
     * Why tests cannot run on the configured kernel (download failed, no BTF, no QEMU, the requested accelerator
     * does not work), or empty.
     */
    static Optional<String> problem(VmConfig config) {
        Prepared prepared = prepare(config);
        if (prepared.dir().isEmpty()) {
            return prepared.problem();
        }
        try {
            accel(config, prepared.dir().get());
            return Optional.empty();
        } catch (VmException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The running (or to be booted) guest for the configured kernel. */
    static Guest guest(VmConfig config) {
        return RUNNING.computeIfAbsent(key(config), k -> {
            Path dir = prepare(config).dir().orElseThrow(() -> new VmException(prepare(config).problem()
                    .orElseThrow(), null));
            return new Guest(config, GuestScripts.in(config.cache()), dir, accel(config, dir));
        });
    }

    /** Stops every guest of this JVM (the benchmark measures each kernel's boot on its own). */
    static void stopAll() {
        RUNNING.values().forEach(Guest::close);
        RUNNING.clear();
    }

    private static Prepared prepare(VmConfig config) {
        return PREPARED.computeIfAbsent(key(config), k -> {
            String kernel = config.kernel().name();
            GuestScripts scripts = GuestScripts.in(config.cache());
            List<String> args = new ArrayList<>(List.of("prepare", config.cache().toString()));
            args.addAll(config.kernel().prepareArguments());
            long started = System.nanoTime();
            GuestScripts.Result result = scripts.run(args, config.prepareTimeout());
            if (result.timedOut()) {
                return failed("vm runtime: preparing kernel " + kernel + " took longer than "
                        + config.prepareTimeout() + " (" + VmConfig.PREPARE_TIMEOUT_PROPERTY_NAME + ")");
            }
            if (result.exitCode() != 0) {
                return failed("vm runtime: cannot prepare kernel " + kernel + ": " + result.tail());
            }
            List<String> lines = result.stdout().strip().lines().toList();
            Path dir = Path.of(lines.isEmpty() ? "" : lines.getLast());
            if (!Files.isRegularFile(dir.resolve("vmlinux"))) {
                return failed("vm runtime: preparing kernel " + kernel + " gave no guest (guest.sh said: "
                        + result.tail() + ")");
            }
            String btf = read(dir.resolve("btf")).orElse("unknown");
            String what = read(dir.resolve("package")).orElse(kernel);
            if (btf.equals("no")) {
                return failed("vm runtime: kernel " + kernel + " (" + what + ") has no BTF: its config lacks "
                        + "CONFIG_DEBUG_INFO_BTF=y, and CO-RE programs need /sys/kernel/btf/vmlinux (build it "
                        + "with BTF or pick another kernel)");
            }
            LOG.log(System.Logger.Level.INFO, "vm runtime: kernel {0} is {1} (Linux {2}), prepared in {3} ({4} ms)",
                    kernel, what, read(dir.resolve("version")).orElse("?"), dir,
                    (System.nanoTime() - started) / 1_000_000);
            return new Prepared(Optional.of(dir), Optional.empty());
        });
    }

    /**
     * The accelerator, chosen once per JVM and request with the first prepared guest (accel.sh boots it once under
     * KVM) and logged; a request that cannot be met (kvm without a working KVM) throws every time.
     */
    private static synchronized AccelChoice accel(VmConfig config, Path guestDir) {
        AccelChoice known = ACCEL.get(config.accel());
        if (known != null) {
            return known;
        }
        String request = config.accel().name().toLowerCase(java.util.Locale.ROOT);
        GuestScripts.Result result = GuestScripts.in(config.cache()).run(
                List.of("accel", request, guestDir.toString()), config.bootTimeout());
        List<String> lines = result.stdout().strip().lines().toList();
        if (result.exitCode() != 0 || lines.size() < 2) {
            throw new VmException("vm runtime: " + VmConfig.ACCEL_PROPERTY_NAME + "=" + request + " cannot be met: "
                    + (lines.size() >= 2 ? lines.get(1) : result.tail()), null);
        }
        String[] accelCpu = lines.getFirst().split(" ");
        AccelChoice choice = new AccelChoice(accelCpu[0], accelCpu[1], lines.get(1));
        LOG.log(System.Logger.Level.INFO, "vm runtime: accelerator {0} ({1})", choice.accel(), choice.reason());
        ACCEL.put(config.accel(), choice);
        return choice;
    }

    private static Prepared failed(String problem) {
        LOG.log(System.Logger.Level.WARNING, problem);
        return new Prepared(Optional.empty(), Optional.of(problem));
    }

    private static String key(VmConfig config) {
        return config.cache() + "|" + config.kernel().name() + "|" + config.kernel().modules().map(Path::toString)
                .orElse("");
    }

    static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
