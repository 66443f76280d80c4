package io.junitebpf.vm;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs pieces of guest.sh in bash, as the tests of its functions need them. */
final class GuestShell {

    private GuestShell() {
    }

    /**
     * Sources guest.sh (and so accel.sh) from this module's resources with GUEST_ARCH set, runs SCRIPT from a file
     * in DIR; its stdout and stderr, stripped, by line.
     */
    static List<String> run(Path dir, String arch, String script) throws IOException, InterruptedException,
            URISyntaxException {
        Path guestSh = Path.of(GuestScripts.class.getResource("guest.sh").toURI());
        Path file = dir.resolve("test.sh");
        Files.writeString(file, "set -u\nexport GUEST_ARCH=" + arch + "\nsource '" + guestSh + "'\n" + script);
        Process p = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return output.strip().lines().toList();
    }
}
