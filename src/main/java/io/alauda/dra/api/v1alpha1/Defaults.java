package io.alauda.dra.api.v1alpha1;

/**
 * Spec defaults in one place: the CRD schema carries them (so {@code kubectl explain} and the API server show
 * them) and the Java fields start with them (so an object read from a server that skipped defaulting behaves the
 * same).
 */
public final class Defaults {

    public static final String NAMESPACE = "kube-system";
    public static final String DRIVER_ROOT = "/";
    public static final String CDI_ROOT = "/var/run/cdi";
    public static final String KUBELET_PLUGINS_DIR = "/var/lib/kubelet/plugins";
    public static final String KUBELET_REGISTRAR_DIR = "/var/lib/kubelet/plugins_registry";
    public static final String NODE_SELECTOR_KEY = "nvidia-device-enable";
    public static final String NODE_SELECTOR_VALUE = "pgpu-dra";
    public static final String CONFLICTING_LABEL_KEY = "gpu";
    public static final String CONFLICTING_LABEL_VALUE = "on";
    public static final String GPU_TOLERATION_KEY = "nvidia.com/gpu";
    public static final String PRIORITY_CLASS = "system-node-critical";
    public static final int HEALTHCHECK_PORT = 51516;
    public static final int METRICS_PORT = 8080;
    public static final String SCRAPE_INTERVAL = "30s";
    public static final String MAX_UNAVAILABLE = "100%";

    private Defaults() {
    }
}
