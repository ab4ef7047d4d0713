package io.alauda.dra.operator.resources;

import java.util.Set;

/**
 * Environment variables the operator sets on the driver's pods. Names follow the upstream chart where upstream has
 * one, so that people who know the upstream driver find what they expect; application.properties maps them to the
 * roles' configuration (PluginEnvContractTest keeps the two in step).
 */
public final class PluginEnv {

    public static final String ROLE = "DRA_ROLE";
    public static final String NODE_NAME = "NODE_NAME";
    public static final String NAMESPACE = "NAMESPACE";
    public static final String POD_NAME = "POD_NAME";
    public static final String POD_UID = "POD_UID";
    public static final String NVIDIA_DRIVER_ROOT = "NVIDIA_DRIVER_ROOT";
    public static final String CONTAINER_DRIVER_ROOT = "DRIVER_ROOT_CTR_PATH";
    public static final String CDI_ROOT = "CDI_ROOT";
    public static final String CONTAINERD_CONFIG_DIR = "CONTAINERD_CONFIG_DIR";
    public static final String KUBELET_PLUGINS_DIR = "KUBELET_PLUGINS_DIRECTORY_PATH";
    public static final String KUBELET_REGISTRAR_DIR = "KUBELET_REGISTRAR_DIRECTORY_PATH";
    public static final String HEALTHCHECK_PORT = "HEALTHCHECK_PORT";
    public static final String CDI_HOOK_PATH = "NVIDIA_CDI_HOOK_PATH";
    public static final String FEATURE_GATES = "FEATURE_GATES";
    /** The plugin's own image, as upstream names it: MPS control daemons run it. */
    public static final String IMAGE_NAME = "IMAGE_NAME";
    public static final String RESOURCE_API_VERSION = "RESOURCE_API_VERSION";
    public static final String NVIDIA_VISIBLE_DEVICES = "NVIDIA_VISIBLE_DEVICES";
    public static final String HTTP_PORT = "QUARKUS_HTTP_PORT";
    public static final String LOG_LEVEL = "QUARKUS_LOG_LEVEL";
    public static final String LEADER_ELECTION = "LEADER_ELECTION_ENABLED";
    /** The controller's picture of which nodes should run the plugin: {@code k=v,...}, sorted. */
    public static final String PLUGIN_NODE_SELECTOR = "PLUGIN_NODE_SELECTOR";
    /** {@code k=v,...}, sorted, or {@code none}: an empty variable would fall back to the default {@code gpu=on}. */
    public static final String PLUGIN_CONFLICTING_NODE_LABELS = "PLUGIN_CONFLICTING_NODE_LABELS";

    /** Where the host's driver root is mounted inside the plugin container. */
    public static final String CONTAINER_DRIVER_ROOT_PATH = "/driver-root";
    /** Where the host's /etc/containerd is mounted, read-only, inside the plugin container. */
    public static final String CONTAINERD_CONFIG_PATH = "/host/etc/containerd";

    /** Names a user may not override through spec.kubeletPlugin.env: the operator owns them. */
    public static final Set<String> RESERVED = Set.of(ROLE, NODE_NAME, NAMESPACE, POD_NAME, POD_UID, NVIDIA_DRIVER_ROOT,
            CONTAINER_DRIVER_ROOT, CDI_ROOT, CONTAINERD_CONFIG_DIR, KUBELET_PLUGINS_DIR, KUBELET_REGISTRAR_DIR, HEALTHCHECK_PORT, CDI_HOOK_PATH,
            FEATURE_GATES, IMAGE_NAME, RESOURCE_API_VERSION, NVIDIA_VISIBLE_DEVICES, HTTP_PORT, LOG_LEVEL, LEADER_ELECTION, PLUGIN_NODE_SELECTOR,
            PLUGIN_CONFLICTING_NODE_LABELS);

    private PluginEnv() {
    }
}
