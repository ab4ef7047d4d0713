package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeletPluginSpec {

    @JsonPropertyDescription("CPU and memory of the kubelet-plugin container. Default: requests of 50m CPU and 192Mi. Without a memory limit the JVM is told to assume the larger of 512Mi and the memory request (JDK_JAVA_OPTIONS=-XX:MaxRAM), so that it does not size its heap from the node's memory.")
    @SchemaFrom(type = BoundedSchemas.ResourceRequirements.class)
    public ResourceRequirements resources;

    @JsonPropertyDescription("Extra environment variables of the kubelet-plugin container. Names the operator sets itself are refused.")
    @Size(max = 50)
    @SchemaFrom(type = BoundedSchemas.EnvVar[].class)
    public List<EnvVar> env = new ArrayList<>();

    @JsonPropertyDescription("TCP port of the gRPC health service used by the startup and liveness probes (host network is not used).")
    @Default("51516")
    @Min(1)
    @Max(65535)
    public int healthcheckPort = Defaults.HEALTHCHECK_PORT;

    @JsonPropertyDescription("How plugin pods are replaced when the DaemonSet changes.")
    public UpdateStrategy updateStrategy = new UpdateStrategy();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "self.type == 'RollingUpdate' || !has(self.maxUnavailable)",
            message = "maxUnavailable is only used with type RollingUpdate")
    @ValidationRule(value = "!has(self.maxUnavailable) || !(self.maxUnavailable in ['0', '0%'])",
            message = "maxUnavailable must be above 0: a node never runs two plugins at once, so an update needs room to stop one")
    public static class UpdateStrategy {
        @JsonPropertyDescription("RollingUpdate replaces pods node by node; a node never runs two plugins at once "
                + "(maxSurge is always 0). OnDelete waits until you delete a pod.")
        @Default("RollingUpdate")
        public Type type = Type.RollingUpdate;

        @JsonPropertyDescription("How many nodes may be without a running plugin during an update: a number or a percentage.")
        @Pattern("^([0-9]+|([0-9]|[1-9][0-9]|100)%)$")
        @Size(max = 16)
        public String maxUnavailable;

        public enum Type {
            RollingUpdate, OnDelete
        }
    }
}
