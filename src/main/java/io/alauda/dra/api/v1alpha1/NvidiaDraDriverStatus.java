package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What the operator found and did: conditions, versions, node counts and rollout numbers.")
public class NvidiaDraDriverStatus {

    @JsonPropertyDescription("metadata.generation of the spec this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing and Degraded, with reasons and messages.")
    @Size(max = 8)
    @SchemaFrom(type = BoundedSchemas.Condition[].class)
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Kubernetes version of the API server, e.g. v1.34.2.")
    @Size(max = 64)
    public String kubernetesVersion;

    @JsonPropertyDescription("resource.k8s.io versions the API server serves, newest first.")
    @Size(max = 8)
    public List<@Size(max = 16) String> servedResourceApiVersions;

    @JsonPropertyDescription("resource.k8s.io version the DeviceClasses are written in.")
    @Size(max = 16)
    public String resourceApiVersion;

    @JsonPropertyDescription("Namespace the driver's pods run in.")
    @Size(max = 63)
    public String namespace;

    @JsonPropertyDescription("GPU nodes: selected by spec.nodeSelector, running a ready plugin, and in conflict with another GPU stack.")
    public Nodes nodes;

    @JsonPropertyDescription("Rollout of the kubelet-plugin DaemonSet.")
    public Rollout kubeletPlugin;

    @JsonPropertyDescription("Rollout of the controller Deployment.")
    public Rollout controller;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Nodes {
        @JsonPropertyDescription("Nodes matching spec.nodeSelector.")
        public int selected;
        @JsonPropertyDescription("Nodes running a ready kubelet plugin.")
        public int ready;
        @JsonPropertyDescription("Selected nodes that also carry a label of spec.conflictingNodeLabels; they get no plugin.")
        public int conflicting;
        @JsonPropertyDescription("Names of the conflicting nodes (at most 50).")
        @Size(max = 50)
        public List<@Size(max = 253) String> conflictingNodes = new ArrayList<>();
        @JsonPropertyDescription("ready/selected, for kubectl get.")
        @Size(max = 32)
        public String summary;
        @JsonPropertyDescription("Nodes whose kubelet plugin publishes no GPUs because a node check failed or waits"
                + " (driver older than 565, driver files missing, containerd without CDI).")
        public int preflightFailed;
        @JsonPropertyDescription("Node checks that did not simply pass, one entry per node, those publishing no GPUs"
                + " first (at most 50); each names the reason and the fix.")
        @Size(max = 50)
        public List<NodePreflight> preflight = new ArrayList<>();

        @Override
        public boolean equals(Object o) {
            return o instanceof Nodes n && selected == n.selected && ready == n.ready && conflicting == n.conflicting
                    && Objects.equals(conflictingNodes, n.conflictingNodes) && Objects.equals(summary, n.summary)
                    && preflightFailed == n.preflightFailed && Objects.equals(preflight, n.preflight);
        }

        @Override
        public int hashCode() {
            return Objects.hash(selected, ready, conflicting, conflictingNodes, summary, preflightFailed, preflight);
        }
    }

    /** What one node's kubelet plugin found when it checked the node (its Pod's dra.alauda.io/NodePreflight condition). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class NodePreflight {
        @JsonPropertyDescription("The node.")
        @Size(max = 253)
        public String node;
        @JsonPropertyDescription("Whether the node's plugin publishes its GPUs.")
        public boolean devicesPublished;
        @JsonPropertyDescription("The worst check's reason, e.g. DriverTooOld, DriverNotReady, ContainerdCdiDisabled, NoCdiHook.")
        @Size(max = 128)
        public String reason;
        @JsonPropertyDescription("What each check that did not pass found, and the fix.")
        @Size(max = 4096)
        public String message;
        @JsonPropertyDescription("When devicesPublished last changed.")
        @Size(max = 64)
        public String lastTransitionTime;

        @Override
        public boolean equals(Object o) {
            return o instanceof NodePreflight p && devicesPublished == p.devicesPublished && Objects.equals(node, p.node)
                    && Objects.equals(reason, p.reason) && Objects.equals(message, p.message)
                    && Objects.equals(lastTransitionTime, p.lastTransitionTime);
        }

        @Override
        public int hashCode() {
            return Objects.hash(node, devicesPublished, reason, message, lastTransitionTime);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Rollout {
        @JsonPropertyDescription("Pods wanted: DaemonSet desiredNumberScheduled or Deployment replicas.")
        public int desired;
        @JsonPropertyDescription("Pods running the current template.")
        public int updated;
        @JsonPropertyDescription("Pods ready.")
        public int ready;
        @JsonPropertyDescription("Pods available.")
        public int available;

        @Override
        public boolean equals(Object o) {
            return o instanceof Rollout r && desired == r.desired && updated == r.updated && ready == r.ready && available == r.available;
        }

        @Override
        public int hashCode() {
            return Objects.hash(desired, updated, ready, available);
        }
    }
}
