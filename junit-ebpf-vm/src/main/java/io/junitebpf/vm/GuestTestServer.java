package io.junitebpf.vm;

import io.junitebpf.remote.RemoteTestMain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The guest side: one JVM for the guest's life that runs the tests the host asks for, one after the other. Usage:
 * {@code GuestTestServer EXCHANGE_DIR}. Writes EXCHANGE_DIR/ready once the launcher is loaded, then waits for
 * request-1.properties, request-2.properties, ... and answers each with response-N.properties, until EXCHANGE_DIR/stop
 * appears. Each test runs as in the container runtime, with its output captured ({@link RemoteTestMain.Server}):
 * the class path's jars loaded once for the guest's life, its directories once per test class (a request for another
 * test class than the last one starts them fresh). Starting one JVM per guest rather than per
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
        Path partial = dir.resolve("ready.partial");
        Files.writeString(partial, System.getProperty("os.version") + "\n");
        Files.move(partial, dir.resolve("ready"), StandardCopyOption.ATOMIC_MOVE);
        RemoteTestMain.Server server = RemoteTestMain.Server.forThisJvm();
        for (long n = 1; ; n++) {
            Path request = dir.resolve("request-" + n + ".properties");
            for (long poll = POLL_MIN_MILLIS; !Files.exists(request); poll = Math.min(POLL_MAX_MILLIS, poll * 2)) {
                if (Files.exists(dir.resolve("stop"))) {
                    System.exit(0);
                }
                Thread.sleep(poll);
            }
            server.serve(request, dir.resolve("response-" + n + ".properties"));
        }
    }
}
