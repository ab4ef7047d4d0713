package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.ResourceApiVersion;
import io.alauda.dra.operator.resources.Names;
import io.alauda.dra.resourceapi.ServedVersions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;

import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks an admin used to do by hand before installing the driver: Kubernetes version, whether DRA's API is
 * served, and which version of it. A failed check names the flags to set for the cluster's version.
 */
final class Preflight {

    static final int MIN_MINOR = 32;

    private static final Logger LOG = Logger.getLogger(Preflight.class);
    private static final Pattern LEADING_DIGITS = Pattern.compile("^(\\d+)");

    private Preflight() {
    }

    static ClusterFacts discover(KubernetesClient client) {
        String version = null;
        int minor = -1;
        boolean complete = true;
        try {
            VersionInfo info = client.getKubernetesVersion();
            if (info != null) {
                version = info.getGitVersion();
                minor = parseMinor(info.getMajor(), info.getMinor(), info.getGitVersion());
                if (minor < 0) {
                    LOG.warnf("cannot tell the Kubernetes minor version from /version: major '%s', minor '%s', gitVersion '%s'",
                            info.getMajor(), info.getMinor(), info.getGitVersion());
                }
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("could not read the Kubernetes version from /version: %s", e.getMessage());
            complete = false;
        }
        List<String> served = List.of();
        try {
            served = ServedVersions.fromApiServer(client).ours().stream().map(ours -> ours.id()).toList();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not read /apis/resource.k8s.io, treating DRA as not served: %s", e.getMessage());
            complete = false;
        }
        boolean serviceMonitor;
        try {
            serviceMonitor = client.apiextensions().v1().customResourceDefinitions().withName(Names.SERVICE_MONITOR_CRD).get() != null;
        } catch (KubernetesClientException e) {
            serviceMonitor = false;
            complete = false;
        }
        return new ClusterFacts(version, minor, served, serviceMonitor, complete);
    }

    static int parseMinor(String major, String minor, String gitVersion) {
        if (major != null && minor != null) {
            Matcher m = LEADING_DIGITS.matcher(minor); // managed clusters report minor as "34+"
            if ("1".equals(major) && m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        if (gitVersion != null) {
            Matcher m = Pattern.compile("^v?1\\.(\\d+)").matcher(gitVersion);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return -1;
    }

    /** Why the driver cannot be installed on this cluster, with the fix; empty when it can. */
    static Optional<Problem> check(ClusterFacts facts) {
        if (facts.minor() < 0) {
            return Optional.of(Problem.of(Reason.KUBERNETES_VERSION_UNKNOWN));
        }
        if (facts.minor() < MIN_MINOR) {
            return Optional.of(Problem.of(Reason.KUBERNETES_TOO_OLD, facts.kubernetesVersion()));
        }
        if (facts.servedResourceVersions().isEmpty()) {
            return Optional.of(Problem.of(Reason.DRA_NOT_SERVED, String.join(", ", io.alauda.dra.resourceapi.ResourceApiVersion.ids()), enableDraHint(facts.minor())));
        }
        return Optional.empty();
    }

    /** The flags that turn DRA on, by Kubernetes minor version. */
    static String enableDraHint(int minor) {
        if (minor == 32) {
            return "on Kubernetes 1.32 DRA is beta and off by default: set --feature-gates=DynamicResourceAllocation=true on "
                    + "kube-apiserver, kube-controller-manager, kube-scheduler and every kubelet, and "
                    + "--runtime-config=resource.k8s.io/v1beta1=true on kube-apiserver";
        }
        if (minor == 33) {
            return "on Kubernetes 1.33 DRA is beta and off by default: set --feature-gates=DynamicResourceAllocation=true on "
                    + "kube-apiserver, kube-controller-manager, kube-scheduler and every kubelet, and "
                    + "--runtime-config=resource.k8s.io/v1beta1=true,resource.k8s.io/v1beta2=true on kube-apiserver";
        }
        return "on Kubernetes 1." + minor + " DRA is GA and on by default: remove any --runtime-config=resource.k8s.io/v1=false "
                + "and any --feature-gates=DynamicResourceAllocation=false from kube-apiserver, kube-controller-manager, "
                + "kube-scheduler and the kubelets";
    }

    /** The version DeviceClasses are written in: the spec's choice if the server serves it, else the newest served. */
    static Resolution resolveResourceVersion(ResourceApiVersion wanted, List<String> served) {
        if (wanted == null || wanted == ResourceApiVersion.AUTO) {
            return new Resolution(served.get(0), null);
        }
        if (served.contains(wanted.value())) {
            return new Resolution(wanted.value(), null);
        }
        return new Resolution(null, Problem.of(Reason.RESOURCE_API_VERSION_NOT_SERVED, wanted.value(), String.join(", ", served)));
    }

    record Resolution(String version, Problem problem) {
    }
}
