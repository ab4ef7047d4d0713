package io.alauda.dra.operator.resources;

/** Fixed names of everything the operator creates. Fixed, because only one NvidiaDraDriver is active at a time. */
public final class Names {

    public static final String DRIVER = "gpu.nvidia.com";
    public static final String PREFIX = "nvidia-dra-driver";
    public static final String KUBELET_PLUGIN = PREFIX + "-kubelet-plugin";
    public static final String CONTROLLER = PREFIX + "-controller";
    public static final String KUBELET_PLUGIN_METRICS = KUBELET_PLUGIN + "-metrics";
    public static final String CONTROLLER_METRICS = CONTROLLER + "-metrics";
    public static final String CONTROLLER_LEADER_ELECTION = CONTROLLER + "-leader-election";
    public static final String RESOURCE_SLICE_POLICY = PREFIX + "-resourceslices";
    public static final String GPU_DEVICE_CLASS = "gpu.nvidia.com";
    public static final String MIG_DEVICE_CLASS = "mig.nvidia.com";
    public static final String SERVICE_MONITOR = PREFIX;
    public static final String SERVICE_MONITOR_CRD = "servicemonitors.monitoring.coreos.com";

    private Names() {
    }

    /** The account kubelet-plugin pods run as; the admission policy must name exactly this one (upstream #1317). */
    public static String kubeletPluginServiceAccount() {
        return KUBELET_PLUGIN;
    }

    public static String controllerServiceAccount() {
        return CONTROLLER;
    }

    public static String serviceAccountUser(String namespace, String serviceAccount) {
        return "system:serviceaccount:" + namespace + ":" + serviceAccount;
    }
}
