package io.alauda.dra.api.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Gives every quantity of the CRD (resources' limits and requests, an env var's divisor) resource.Quantity's syntax
 * and a length bound, as controller-gen does for Go CRDs, so that {@code 512MB} is refused by the API server naming
 * the field instead of failing later. The generator writes a Quantity as a bare int-or-string and ignores annotations
 * on it (and on a map's value type), hence this step, which runs when the CRD is generated (never at run time). Every
 * int-or-string of this CRD is a quantity.
 */
public final class QuantitySchemas implements SchemaCustomizer.Customizer {

    /** resource.Quantity's syntax: 512Mi, 0.5, 100m, 1e3; not 512MB. A pattern applies to strings only. */
    public static final String PATTERN = "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";
    public static final long MAX_LENGTH = 63;

    @Override
    public JSONSchemaProps apply(JSONSchemaProps schema, String input, KubernetesSerialization serialization) {
        constrain(schema);
        return schema;
    }

    private static void constrain(JSONSchemaProps node) {
        if (node == null) {
            return;
        }
        if (Boolean.TRUE.equals(node.getXKubernetesIntOrString())) {
            node.setPattern(PATTERN);
            node.setMaxLength(MAX_LENGTH);
        }
        if (node.getProperties() != null) {
            node.getProperties().values().forEach(QuantitySchemas::constrain);
        }
        if (node.getAdditionalProperties() != null) {
            constrain(node.getAdditionalProperties().getSchema());
        }
        if (node.getItems() != null) {
            constrain(node.getItems().getSchema());
        }
    }
}
