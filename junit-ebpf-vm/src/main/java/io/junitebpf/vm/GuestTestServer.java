package io.junitebpf.vm;

import io.junitebpf.junit.spi.TestOutcome.Status;
import io.junitebpf.remote.Exchange;
import io.junitebpf.remote.RemoteTestMain;
import io.junitebpf.remote.RemoteTestResult;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The guest side: one JVM for the guest's life that runs the tests the host asks for, one after the other. Usage:
 * {@code GuestTestServer EXCHANGE_DIR}. Writes EXCHANGE_DIR/ready once the launcher is loaded, then waits for
 * request-1.properties, request-2.properties, ... and answers each with response-N.properties (the test's stdout and
 * stderr in stdout-N and stderr-N), until EXCHANGE_DIR/stop appears. Starting one JVM per guest rather than per
 * test matters under TCG, where a JVM start costs seconds.
 */
final class GuestTestServer {

    /**
     * How often the exchange directory is looked at: each look is a 9p round trip and costs CPU under TCG, so an
     * idle guest backs off from 5 ms (the next test of a class comes at once) to 100 ms.
     */
    private static final long POLL_MIN_MILLIS = 5;
    private static final long POLL_MAX_MILLIS = 100;

    private GuestTestServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: GuestTestServer EXCHANGE_DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        warmUp();  // load the launcher and engines before the first test, not in its time
        Path partial = dir.resolve("ready.partial");
        Files.writeString(partial, System.getProperty("os.version") + "\n");
        Files.move(partial, dir.resolve("ready"), StandardCopyOption.ATOMIC_MOVE);
        PrintStream out = System.out;
        PrintStream err = System.err;
        for (long n = 1; ; n++) {
            Path request = dir.resolve("request-" + n + ".properties");
            for (long poll = POLL_MIN_MILLIS; !Files.exists(request); poll = Math.min(POLL_MAX_MILLIS, poll * 2)) {
                if (Files.exists(dir.resolve("stop"))) {
                    System.exit(0);
                }
                Thread.sleep(poll);
            }
            try (PrintStream testOut = new PrintStream(Files.newOutputStream(dir.resolve("stdout-" + n)), true,
                    StandardCharsets.UTF_8);
                 PrintStream testErr = new PrintStream(Files.newOutputStream(dir.resolve("stderr-" + n)), true,
                         StandardCharsets.UTF_8)) {
                System.setOut(testOut);
                System.setErr(testErr);
                answer(request, dir.resolve("response-" + n + ".properties"));
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
        }
    }

    /** Loads what every test needs: the launcher, the engines, their discovery. */
    private static void warmUp() {
        LauncherFactory.create().discover(org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(GuestTestServer.class))
                .build());
    }

    private static void answer(Path request, Path response) throws IOException {
        try {
            RemoteTestMain.run(Exchange.read(request)).write(response);
        } catch (RuntimeException | IOException | Error e) {
            e.printStackTrace();
            RemoteTestResult.write(response, Status.FAILED, Optional.of(RemoteTestResult.Failure.of(
                    new VmException("vm runtime: the guest could not run " + request.getFileName() + ": " + e, e))),
                    List.of());
        }
    }
}
