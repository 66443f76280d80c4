package io.junitebpf.container;

import com.github.dockerjava.api.exception.NotFoundException;
import io.junitebpf.junit.EbpfConfig;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Shared assumptions of the tests that need a Docker engine and the runtime image. */
final class DockerAvailable {

    private DockerAvailable() {
    }

    /**
     * Skips (with the engine's problem as the reason) when no Docker engine answers; fails instead under CI
     * ({@code CI=true}), where .ci/run and scripts/soak start the engine first: a class-level skip leaves no
     * test case in Surefire's reports, so a CI run without the engine would pass with these tests unseen.
     */
    static void assumeEngine() {
        DockerEngine.problem(ContainerConfig.from(EbpfConfig.system()).engineTimeout()).ifPresent(p -> {
            String why = "needs a Docker engine: " + p;
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(why + " (CI=true: start one with scripts/docker-engine)");
            }
            Assumptions.abort(why);
        });
    }

    /**
     * The configuration for these tests: the system's, with the image scripts/build-runtime-image builds when
     * none is configured and that one is present (this machine has no registry for the Dockerfile's base).
     */
    static ContainerConfig config() {
        ContainerConfig config = ContainerConfig.from(EbpfConfig.system());
        if (config.image().isEmpty() && present(RuntimeImage.SCRIPT_DEFAULT_TAG)) {
            return config.withImage(RuntimeImage.SCRIPT_DEFAULT_TAG);
        }
        return config;
    }

    static boolean present(String image) {
        try {
            DockerEngine.client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
