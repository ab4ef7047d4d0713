package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.List;
import java.util.Map;

/**
 * Schema-only copies of the Kubernetes types the spec and status embed (Toleration, EnvVar, ResourceRequirements,
 * Condition), with the same JSON fields plus length, item and property bounds. Fields keep their fabric8 types in
 * Java; {@code @SchemaFrom} swaps in these for the CRD, because the generated schema of fabric8's own classes leaves
 * every string, list and map unbounded. Bounds matter to the API server: it estimates the cost of each CEL rule from
 * them and refuses a CRD whose rules could exceed the budget. Keep the fields in step with fabric8's classes: a field
 * missing here is pruned by the API server.
 */
final class BoundedSchemas {

    static final int NAME = 253;
    static final int SHORT = 63;
    static final int TEXT = 32768;

    private BoundedSchemas() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    static class Toleration {
        @Size(max = 316)
        public String key;
        @Size(max = 16)
        public String operator;
        @Size(max = SHORT)
        public String value;
        @Size(max = 32)
        public String effect;
        public Long tolerationSeconds;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    static class EnvVar {
        @Size(max = NAME)
        public String name;
        @Size(max = TEXT)
        public String value;
        public EnvVarSource valueFrom;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    static class EnvVarSource {
        public KeyRef configMapKeyRef;
        public KeyRef secretKeyRef;
        public FieldRef fieldRef;
        public FileKeyRef fileKeyRef;
        public ResourceFieldRef resourceFieldRef;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    static class KeyRef {
        @Size(max = NAME)
        public String key;
        @Size(max = NAME)
        public String name;
        public Boolean optional;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    static class FieldRef {
        @Size(max = SHORT)
        public String apiVersion;
        @Size(max = 1024)
        public String fieldPath;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    static class FileKeyRef {
        @Size(max = NAME)
        public String key;
        public Boolean optional;
        @Size(max = HostPaths.MAX_LENGTH)
        public String path;
        @Size(max = SHORT)
        public String volumeName;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    static class ResourceFieldRef {
        @Size(max = SHORT)
        public String containerName;
        @Size(max = NAME)
        public String resource;
        public Quantity divisor;
    }

    /** Its quantities get their pattern from {@link QuantitySchemas}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static class ResourceRequirements {
        @Size(max = 16)
        public List<ResourceClaim> claims;
        @Size(max = 16)
        public Map<String, Quantity> limits;
        @Size(max = 16)
        public Map<String, Quantity> requests;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    static class ResourceClaim {
        @Size(max = SHORT)
        public String name;
        @Size(max = SHORT)
        public String request;
    }

    /** metav1.Condition's own bounds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static class Condition {
        @Size(max = 64)
        public String lastTransitionTime;
        @Size(max = TEXT)
        public String message;
        public Long observedGeneration;
        @Size(max = 1024)
        public String reason;
        @Size(max = 16)
        public String status;
        @Size(max = 316)
        public String type;
    }
}
