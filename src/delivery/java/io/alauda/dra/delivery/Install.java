package io.alauda.dra.delivery;

import java.util.Map;
import java.util.TreeMap;

/** Names of the operator's own install, shared by the plain manifests and the OLM bundle. */
public final class Install {

    /** OLM package name, CSV name prefix, and the name of the operator's namespace, account and Deployment. */
    public static final String PACKAGE = "nvidia-dra-driver-operator";
    public static final String NAMESPACE = PACKAGE;
    public static final String SERVICE_ACCOUNT = PACKAGE;
    public static final String DEPLOYMENT = PACKAGE;
    public static final String CONTAINER = "operator";
    /** The Role and RoleBinding for the operator's own leader-election Lease, in the operator's namespace only. */
    public static final String LEADER_ELECTION = PACKAGE + "-leader-election";
    /** OLM channel: the naming convention wants candidate, fast or stable; an alpha-maturity operator starts in candidate. */
    public static final String CHANNEL = "candidate";
    /** The env var through which OLM (relatedImages) and the plain manifests hand the driver image to the operator. */
    public static final String RELATED_IMAGE_ENV = "RELATED_IMAGE_NVIDIA_DRA_DRIVER";
    public static final String RELATED_IMAGE_NAME = "nvidia-dra-driver";
    public static final int HTTP_PORT = 8080;
    /** The default CR, applied after the operator (README, docs/install.md) and shown by OLM as alm-examples. */
    public static final String SAMPLE = "src/main/kubernetes/samples/nvidiadradriver.yaml";
    public static final String ICON = "src/main/kubernetes/nvidia-dra-driver-operator.icon.svg";
    public static final String CSV_DESCRIPTION = "src/main/kubernetes/csv-description.md";
    public static final String MANIFESTS_FILE = "deploy/install/nvidia-dra-driver-operator.yaml";
    public static final String BUNDLE_DIR = "bundle";

    private Install() {
    }

    /** Labels on everything of the operator's own install (not on what the operator creates for a CR). */
    public static Map<String, String> labels(String version) {
        // Sorted: Map.of iterates in a different order on every JVM run, and the files must come out the same.
        return new TreeMap<>(Map.of(
                "app.kubernetes.io/name", PACKAGE,
                "app.kubernetes.io/component", "operator",
                "app.kubernetes.io/part-of", "nvidia-dra-driver",
                "app.kubernetes.io/version", version));
    }

    /** The Deployment's selector: stable across versions, so an upgrade can roll the same Deployment. */
    public static Map<String, String> selector() {
        return new TreeMap<>(Map.of("app.kubernetes.io/name", PACKAGE, "app.kubernetes.io/component", "operator"));
    }
}
