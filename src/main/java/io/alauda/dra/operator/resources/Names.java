package io.alauda.dra.operator.resources;

import java.util.List;

/**
 * Fixed names of everything the operator creates. Fixed, because only one NvidiaDraDriver is active at a time.
 *
 * <p>Object names start with {@link #PREFIX}, the release name of the Alauda build's install guide and of upstream's
 * Helm chart: the guide checks the install with {@code kubectl get pods -n kube-system | grep nvidia-dra-driver-gpu}
 * and shows {@code nvidia-dra-driver-gpu-controller-…} and {@code nvidia-dra-driver-gpu-kubelet-plugin-…} pods.
 * The ServiceAccounts carry upstream's names, so SCC grants, PSA or policy exceptions and audit filters written for
 * upstream's chart find the same accounts. Labels keep the application's name, {@link #APP}, which the image, the
 * ResourceSlices the plugin writes and the label selectors in the docs use.
 *
 * <p>Operators before the rename created the same objects under {@link #LEGACY_PREFIX}; see {@link Legacy}.
 */
public final class Names {

    public static final String DRIVER = "gpu.nvidia.com";
    /** app.kubernetes.io/name and part-of of every object, and the pod selector of both workloads. */
    public static final String APP = "nvidia-dra-driver";
    public static final String PREFIX = "nvidia-dra-driver-gpu";
    public static final String KUBELET_PLUGIN = PREFIX + "-kubelet-plugin";
    public static final String CONTROLLER = PREFIX + "-controller";
    public static final String KUBELET_PLUGIN_METRICS = KUBELET_PLUGIN + "-metrics";
    public static final String CONTROLLER_METRICS = CONTROLLER + "-metrics";
    public static final String CONTROLLER_LEADER_ELECTION = CONTROLLER + "-leader-election";
    /** The plugin's Role for the node-check condition on its own Pod, and the admission policy that confines it. */
    public static final String KUBELET_PLUGIN_POD_STATUS = KUBELET_PLUGIN + "-pod-status";
    /**
     * The fixed ClusterRole (shipped with the install, never written by the operator) that lets the plugin run MPS
     * control daemons as Deployments, and the RoleBinding in the driver namespace that grants it while MPSSupport is on.
     */
    public static final String KUBELET_PLUGIN_MPS = KUBELET_PLUGIN + "-mps";
    public static final String RESOURCE_SLICE_POLICY = PREFIX + "-resourceslices";
    public static final String GPU_DEVICE_CLASS = "gpu.nvidia.com";
    public static final String MIG_DEVICE_CLASS = "mig.nvidia.com";
    public static final String SERVICE_MONITOR = PREFIX;
    public static final String SERVICE_MONITOR_CRD = "servicemonitors.monitoring.coreos.com";

    public static final String KUBELET_PLUGIN_SERVICE_ACCOUNT = PREFIX + "-service-account-kubeletplugin";
    public static final String CONTROLLER_SERVICE_ACCOUNT = PREFIX + "-service-account-controller";
    public static final List<String> SERVICE_ACCOUNTS = List.of(KUBELET_PLUGIN_SERVICE_ACCOUNT, CONTROLLER_SERVICE_ACCOUNT);
    /** The controller's leader-election Lease (the controller role's default, {@code dra.controller.lease-name}). */
    public static final String CONTROLLER_LEASE = "nvidia-dra-driver-controller";

    /**
     * The condition each kubelet-plugin Pod carries with its node checks, which the operator gathers into the
     * NvidiaDraDriver's status; a qualified name, as the API requires of pod conditions the kubelet does not own.
     */
    public static final String NODE_PREFLIGHT_CONDITION = "dra.alauda.io/NodePreflight";

    /** The object-name prefix of operators before the rename. */
    public static final String LEGACY_PREFIX = "nvidia-dra-driver";

    private Names() {
    }

    /**
     * The account kubelet-plugin pods run as: upstream's name for it. The admission policy must name exactly this one
     * (upstream's policy names another, so there it never applies).
     */
    public static String kubeletPluginServiceAccount() {
        return KUBELET_PLUGIN_SERVICE_ACCOUNT;
    }

    /** The account controller pods run as: upstream's name for it. */
    public static String controllerServiceAccount() {
        return CONTROLLER_SERVICE_ACCOUNT;
    }

    public static String serviceAccountUser(String namespace, String serviceAccount) {
        return "system:serviceaccount:" + namespace + ":" + serviceAccount;
    }

    /**
     * What operators before the rename created, under {@link #LEGACY_PREFIX}: the operator removes these (only those
     * that carry its owner label) when it finds them. Kinds are named by their Java type elsewhere; here by name only.
     */
    public static final class Legacy {

        public static final String KUBELET_PLUGIN = LEGACY_PREFIX + "-kubelet-plugin";
        public static final String CONTROLLER = LEGACY_PREFIX + "-controller";
        public static final String KUBELET_PLUGIN_SERVICE_ACCOUNT = KUBELET_PLUGIN;
        public static final String CONTROLLER_SERVICE_ACCOUNT = CONTROLLER;
        public static final String KUBELET_PLUGIN_METRICS = KUBELET_PLUGIN + "-metrics";
        public static final String CONTROLLER_METRICS = CONTROLLER + "-metrics";
        public static final String CONTROLLER_LEADER_ELECTION = CONTROLLER + "-leader-election";
        public static final String RESOURCE_SLICE_POLICY = LEGACY_PREFIX + "-resourceslices";
        public static final String SERVICE_MONITOR = LEGACY_PREFIX;

        public static final List<String> SERVICE_ACCOUNTS = List.of(KUBELET_PLUGIN_SERVICE_ACCOUNT, CONTROLLER_SERVICE_ACCOUNT);

        private Legacy() {
        }
    }
}
