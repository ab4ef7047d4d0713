package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ControllerSpec {

    @JsonPropertyDescription("Replicas of the controller Deployment; more than one elects a leader through a Lease. "
            + "0 turns the controller (allocation metrics, stale-slice cleanup) off.")
    @Default("1")
    @Min(0)
    @Max(5)
    public int replicas = 1;

    @JsonPropertyDescription("CPU and memory of the controller container. Default: requests of 50m CPU and 256Mi. Without a memory limit the JVM is told to assume the larger of 512Mi and the memory request (JDK_JAVA_OPTIONS=-XX:MaxRAM), so that it does not size its heap from the node's memory.")
    @SchemaFrom(type = BoundedSchemas.ResourceRequirements.class)
    public ResourceRequirements resources;
}
