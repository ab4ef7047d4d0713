package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One NvidiaDraDriver installs the NVIDIA DRA driver for GPUs on the cluster. Cluster-scoped, because what it
 * creates (DeviceClasses, ClusterRoles, an admission policy) is cluster-scoped; only the oldest one is active.
 */
@Group(NvidiaDraDriver.GROUP)
@Version(NvidiaDraDriver.VERSION)
@Kind("NvidiaDraDriver")
@Plural("nvidiadradrivers")
@Singular("nvidiadradriver")
@ShortNames("ndd")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Nodes", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.nodes.summary",
        getDescription = "GPU nodes with a ready kubelet plugin / GPU nodes selected")
@AdditionalPrinterColumn(name = "Conflicting", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.nodes.conflicting",
        priority = 1)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
// No content may fail the read of an object: a failed read ends the operator's watch of every NvidiaDraDriver.
// Top-level fields of another CRD version are ignored; spec and status are read tolerantly (TolerantReader).
@JsonIgnoreProperties(ignoreUnknown = true)
@SchemaCustomizer(value = SchemaCustomizer.MergePatchCustomizer.class, input = "{\"description\": \"" + NvidiaDraDriver.DESCRIPTION + "\"}")
@SchemaCustomizer(value = QuantitySchemas.class, input = "")
public class NvidiaDraDriver extends CustomResource<NvidiaDraDriverSpec, NvidiaDraDriverStatus> {

    public static final String GROUP = "dra.alauda.io";
    public static final String VERSION = "v1alpha1";

    /** What {@code kubectl explain nvidiadradriver} shows first. */
    public static final String DESCRIPTION = "NvidiaDraDriver installs the NVIDIA DRA driver for GPUs (kubelet plugin, controller, DeviceClasses "
        + "gpu.nvidia.com and mig.nvidia.com) on the GPU nodes its spec selects, and reports in its status how far the install "
        + "got and what to fix. Cluster-scoped; only the oldest NvidiaDraDriver is acted on. Create one named default with "
        + "spec: {} for the defaults.";

    @Override
    @JsonPropertyDescription("How the NVIDIA DRA driver is installed; every field has a default, so spec: {} is a complete install.")
    public NvidiaDraDriverSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator found and did: conditions, versions, node counts and rollout numbers.")
    public NvidiaDraDriverStatus getStatus() {
        return super.getStatus();
    }

    /** Bad values are dropped and noted in {@link SpecReadProblems}, so that the operator refuses the spec naming them. */
    @Override
    @JsonDeserialize(using = TolerantSpecDeserializer.class)
    public void setSpec(NvidiaDraDriverSpec spec) {
        super.setSpec(spec);
    }

    /** A status this version cannot read (written by another one) reads as absent and is rewritten whole. */
    @Override
    @JsonDeserialize(using = TolerantStatusDeserializer.class)
    public void setStatus(NvidiaDraDriverStatus status) {
        super.setStatus(status);
    }

    @Override
    protected NvidiaDraDriverSpec initSpec() {
        return new NvidiaDraDriverSpec();
    }

    /**
     * No status until the operator writes one: the API server ignores status on create, and a status made up on
     * the client would make the first status patch refer to fields the server does not have.
     */
    @Override
    protected NvidiaDraDriverStatus initStatus() {
        return null;
    }
}
