package io.alauda.dra.operator;

import java.util.List;

/**
 * What preflight learned about the cluster.
 *
 * @param kubernetesVersion        e.g. v1.34.2; null when /version could not be read
 * @param minor                    Kubernetes minor version, -1 when unknown
 * @param servedResourceVersions   served resource.k8s.io versions, newest first
 * @param serviceMonitorAvailable  whether the ServiceMonitor CRD is installed
 * @param complete                 whether every discovery request was answered; facts from a failed request are
 *                                 not remembered ({@link ClusterFactsCache})
 */
record ClusterFacts(String kubernetesVersion, int minor, List<String> servedResourceVersions, boolean serviceMonitorAvailable,
        boolean complete) {

    ClusterFacts(String kubernetesVersion, int minor, List<String> servedResourceVersions, boolean serviceMonitorAvailable) {
        this(kubernetesVersion, minor, servedResourceVersions, serviceMonitorAvailable, true);
    }
}
