package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriverStatus.Rollout;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/** Rollout numbers and readiness of the two workloads, with the rules gpu-operator uses. */
final class Rollouts {

    private Rollouts() {
    }

    static Rollout of(DaemonSet ds) {
        Rollout r = new Rollout();
        DaemonSetStatus s = ds == null ? null : ds.getStatus();
        if (s != null) {
            r.desired = nz(s.getDesiredNumberScheduled());
            r.updated = nz(s.getUpdatedNumberScheduled());
            r.ready = nz(s.getNumberReady());
            r.available = nz(s.getNumberAvailable());
        }
        return r;
    }

    static Rollout of(Deployment deployment) {
        Rollout r = new Rollout();
        if (deployment != null) {
            r.desired = nz(deployment.getSpec().getReplicas());
            DeploymentStatus s = deployment.getStatus();
            if (s != null) {
                r.updated = nz(s.getUpdatedReplicas());
                r.ready = nz(s.getReadyReplicas());
                r.available = nz(s.getAvailableReplicas());
            }
        }
        return r;
    }

    /**
     * Ready when the controller has seen the current template and every scheduled pod is updated and available. A
     * DaemonSet that targets no node is ready too: GPU nodes may simply not be labelled yet.
     */
    static boolean ready(DaemonSet ds) {
        if (ds == null || ds.getStatus() == null || !observedCurrent(ds.getMetadata().getGeneration(), ds.getStatus().getObservedGeneration())) {
            return false;
        }
        DaemonSetStatus s = ds.getStatus();
        int desired = nz(s.getDesiredNumberScheduled());
        return desired == nz(s.getNumberAvailable()) && desired == nz(s.getUpdatedNumberScheduled())
                && (desired > 0 || nz(s.getCurrentNumberScheduled()) == 0);
    }

    static boolean ready(Deployment deployment) {
        if (deployment == null || deployment.getStatus() == null
                || !observedCurrent(deployment.getMetadata().getGeneration(), deployment.getStatus().getObservedGeneration())) {
            return false;
        }
        int desired = nz(deployment.getSpec().getReplicas());
        DeploymentStatus s = deployment.getStatus();
        return desired == nz(s.getUpdatedReplicas()) && desired == nz(s.getAvailableReplicas());
    }

    private static boolean observedCurrent(Long generation, Long observed) {
        return generation == null || (observed != null && observed >= generation);
    }

    private static int nz(Integer value) {
        return value == null ? 0 : value;
    }
}
