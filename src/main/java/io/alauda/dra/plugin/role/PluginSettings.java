package io.alauda.dra.plugin.role;

import io.alauda.dra.plugin.grpc.KubeletPluginPaths;
import io.alauda.dra.slice.SliceListScope;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the kubelet plugin needs to start, free of Quarkus so tests start the plugin directly.
 *
 * @param healthPort      TCP port of the gRPC health service; 0 picks a free one
 * @param cdiHookPath     host path of nvidia-cdi-hook, or null for specs without hooks; the configured one until
 *                        {@link KubeletPluginRole} has chosen (CdiHookLocator)
 * @param sliceListScope  how slices are listed: by field selector (a real API server) or client-side (the mock)
 * @param featureGates    FEATURE_GATES as {@code FeatureGates.parse} reads it
 * @param namespace       the plugin pod's namespace, where MPS control daemons are created; null when unknown
 * @param image           the plugin's own image, which MPS control daemons run; null when unknown
 */
public record PluginSettings(
        String nodeName,
        Path containerDriverRoot,
        Path hostDriverRoot,
        Path cdiRoot,
        KubeletPluginPaths paths,
        int healthPort,
        String cdiHookPath,
        String resourceApiVersion,
        SliceListScope sliceListScope,
        Map<String, Boolean> featureGates,
        String namespace,
        String image) {

    public PluginSettings(String nodeName, Path containerDriverRoot, Path hostDriverRoot, Path cdiRoot,
            KubeletPluginPaths paths, int healthPort, String cdiHookPath, String resourceApiVersion,
            SliceListScope sliceListScope) {
        this(nodeName, containerDriverRoot, hostDriverRoot, cdiRoot, paths, healthPort, cdiHookPath, resourceApiVersion,
                sliceListScope, Map.of(), null, null);
    }

    public PluginSettings {
        featureGates = featureGates == null ? Map.of() : Map.copyOf(featureGates);
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("the node name is missing: set NODE_NAME (the DaemonSet sets it from spec.nodeName)");
        }
        Objects.requireNonNull(containerDriverRoot, "containerDriverRoot");
        Objects.requireNonNull(hostDriverRoot, "hostDriverRoot");
        Objects.requireNonNull(cdiRoot, "cdiRoot");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(resourceApiVersion, "resourceApiVersion");
        Objects.requireNonNull(sliceListScope, "sliceListScope");
        if (healthPort < 0 || healthPort > 65535) {
            throw new IllegalArgumentException("HEALTHCHECK_PORT must be between 0 and 65535, got " + healthPort);
        }
    }

    public PluginSettings withCdiHookPath(String path) {
        return new PluginSettings(nodeName, containerDriverRoot, hostDriverRoot, cdiRoot, paths, healthPort, path,
                resourceApiVersion, sliceListScope, featureGates, namespace, image);
    }
}
