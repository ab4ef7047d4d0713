package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeviceClassesSpec {

    @JsonPropertyDescription("DeviceClass gpu.nvidia.com: whole GPUs.")
    public Gpu gpu = new Gpu();

    @JsonPropertyDescription("DeviceClass mig.nvidia.com: MIG devices that already exist on the GPUs.")
    public Mig mig = new Mig();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Gpu {
        @JsonPropertyDescription("Install DeviceClass gpu.nvidia.com.")
        @Default("true")
        public boolean enabled = true;

        @JsonPropertyDescription("Extended resource name that pods may request instead of a claim, e.g. nvidia.com/gpu "
                + "(KEP-5004, Kubernetes 1.34+ with the DRAExtendedResource feature gate on). When the API server drops "
                + "the field (gate off, older version), the operator reports Degraded with reason FieldNotKept.")
        @Pattern("^$|^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
        @Size(max = 317)
        public String extendedResourceName;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Mig {
        @JsonPropertyDescription("Install DeviceClass mig.nvidia.com.")
        @Default("true")
        public boolean enabled = true;
    }
}
