package io.junitebpf.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Resolves the runtime image to a local image name: a configured name must be present or pullable; without
 * one, the packaged Dockerfile is built by Testcontainers once and kept, tagged by the Dockerfile's hash.
 */
final class RuntimeImage {

    /** The packaged Dockerfile. */
    static final String DOCKERFILE_RESOURCE = "io/junitebpf/container/Dockerfile";
    /** What scripts/build-runtime-image tags by default. */
    static final String SCRIPT_DEFAULT_TAG = "junit-ebpf-runtime:bookworm";

    private static final System.Logger LOG = System.getLogger(RuntimeImage.class.getName());
    private static final long PULL_TIMEOUT_MINUTES = 5;

    private RuntimeImage() {
    }

    /** A local image name for {@code configured}, pulling or building it if needed. */
    static String resolve(DockerClient client, Optional<String> configured) {
        return configured.isPresent() ? named(client, configured.get()) : fromDockerfile(client);
    }

    private static String named(DockerClient client, String image) {
        if (present(client, image)) {
            return image;
        }
        try {
            LOG.log(System.Logger.Level.INFO, "pulling {0}", image);
            if (!client.pullImageCmd(image).start().awaitCompletion(PULL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                throw new ContainerException("container runtime: pulling image " + image + " timed out", null);
            }
            return image;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("container runtime: interrupted while pulling " + image, e);
        } catch (RuntimeException e) {
            throw new ContainerException("container runtime: image " + image + " (" + configuredBy()
                    + ") is not present locally and cannot be pulled: " + DockerEngine.rootMessage(e)
                    + " (without a registry build it with: scripts/build-runtime-image " + image + ")", e);
        }
    }

    private static String fromDockerfile(DockerClient client) {
        byte[] dockerfile = dockerfile();
        String tag = "junit-ebpf-runtime:dockerfile-" + sha256(dockerfile);
        if (present(client, tag)) {
            return tag;
        }
        LOG.log(System.Logger.Level.INFO, "building {0} from the packaged Dockerfile", tag);
        try {
            return new ImageFromDockerfile(tag, false)
                    .withFileFromClasspath("Dockerfile", DOCKERFILE_RESOURCE)
                    .get();
        } catch (RuntimeException e) {
            throw new ContainerException("container runtime: cannot build the runtime image from the packaged"
                    + " Dockerfile (" + DOCKERFILE_RESOURCE + "): " + DockerEngine.rootMessage(e)
                    + " (without a registry run scripts/build-runtime-image and set "
                    + ContainerConfig.IMAGE_PROPERTY_NAME + "=" + SCRIPT_DEFAULT_TAG + ")", e);
        }
    }

    private static boolean present(DockerClient client, String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String configuredBy() {
        return System.getProperty(ContainerConfig.IMAGE_PROPERTY_NAME) != null
                ? ContainerConfig.IMAGE_PROPERTY_NAME
                : io.junitebpf.junit.EbpfConfig.environmentName(ContainerConfig.IMAGE_PROPERTY_NAME);
    }

    private static byte[] dockerfile() {
        try (InputStream in = RuntimeImage.class.getClassLoader().getResourceAsStream(DOCKERFILE_RESOURCE)) {
            if (in == null) {
                throw new ContainerException("container runtime: resource " + DOCKERFILE_RESOURCE + " missing", null);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
