package io.alauda.dra.delivery;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a generation run depends on besides the code: where the project is, its version, and the image to install.
 * Maven passes the version and image through system properties (pom.xml, profile {@code delivery}, and the surefire
 * and failsafe configuration), so the committed files, a test's regeneration and {@code make bundle} agree.
 *
 * @param root            the project directory (holds pom.xml and target/)
 * @param version         the project version, e.g. 0.1.0: the CSV version and the image tag
 * @param imageRepository repository of the one image of every role, e.g. ghcr.io/alauda/nvidia-dra-driver
 * @param imageDigest     {@code sha256:<64 hex>} to pin the image by digest (a release does), or empty for the tag
 * @param previousVersion the release this one upgrades (the CSV's {@code replaces}), or empty for the first release
 */
public record DeliveryConfig(Path root, String version, String imageRepository, String imageDigest, String previousVersion) {

    public static final String DEFAULT_REPOSITORY = "ghcr.io/alauda/nvidia-dra-driver";
    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?$");
    private static final Pattern DIGEST = Pattern.compile("^sha256:[0-9a-f]{64}$");

    public DeliveryConfig {
        Objects.requireNonNull(root, "root");
        if (version == null || !SEMVER.matcher(version).matches()) {
            throw new IllegalArgumentException("version must be semver (X.Y.Z), got '" + version
                    + "'; Maven passes it as -Ddelivery.version=${project.version}");
        }
        if (imageRepository == null || imageRepository.isBlank() || imageRepository.contains("@") || imageRepository.matches(".*:[^/]*$")) {
            throw new IllegalArgumentException("image repository must have no tag or digest, got '" + imageRepository + "'");
        }
        imageDigest = imageDigest == null ? "" : imageDigest.trim();
        if (!imageDigest.isEmpty() && !DIGEST.matcher(imageDigest).matches()) {
            throw new IllegalArgumentException("image digest must be sha256:<64 lower-case hex>, got '" + imageDigest + "'");
        }
        previousVersion = previousVersion == null ? "" : previousVersion.trim();
        if (!previousVersion.isEmpty() && !SEMVER.matcher(previousVersion).matches()) {
            throw new IllegalArgumentException("previous version must be semver (X.Y.Z), got '" + previousVersion + "'");
        }
    }

    /**
     * The configuration Maven passes: {@code delivery.version}, {@code delivery.image.repository}, {@code delivery.image.digest},
     * {@code delivery.previous.version} (pom.xml properties; a release changes them there).
     */
    public static DeliveryConfig fromSystemProperties(Path root) {
        String version = System.getProperty("delivery.version");
        if (version == null) {
            throw new IllegalStateException("system property delivery.version is not set: run through Maven (make manifests, make bundle, "
                    + "mvn verify), which passes -Ddelivery.version=${project.version}");
        }
        return new DeliveryConfig(root, version, System.getProperty("delivery.image.repository", DEFAULT_REPOSITORY),
                System.getProperty("delivery.image.digest", ""), System.getProperty("delivery.previous.version", ""));
    }

    /** The same settings with another project directory (a test regenerating into target/). */
    public DeliveryConfig withRoot(Path otherRoot) {
        return new DeliveryConfig(otherRoot, version, imageRepository, imageDigest, previousVersion);
    }

    /** The image pull spec: by digest when one is given, else by the version tag. */
    public String image() {
        return imageDigest.isEmpty() ? imageRepository + ":" + version : imageRepository + "@" + imageDigest;
    }

    public Path target() {
        return root.resolve("target");
    }
}
