package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code mvn package} wrote to target/kubernetes and the install is built from, so it cannot drift from the
 * code: the CRD that QOSDK generates from the {@code api.v1alpha1} classes, and the ClusterRole(s) that QOSDK derives
 * from the reconciler (its primary resource) and its {@code @RBACRule} annotations.
 *
 * @param crd          the CRD as generated (a YAML tree, so nothing is lost in a model round trip), printer columns
 *                     in the annotations' order
 * @param clusterRoles the operator's ClusterRoles from kubernetes.yml, by name
 */
public record BuildOutput(ObjectNode crd, List<ClusterRole> clusterRoles) {

    public static final String CRD_NAME = "nvidiadradrivers.dra.alauda.io";
    static final String KUBERNETES_YML = "kubernetes/kubernetes.yml";
    static final String CRD_FILE = "kubernetes/" + CRD_NAME + "-v1.yml";

    public static BuildOutput read(Path target) {
        Path crdFile = target.resolve(CRD_FILE);
        Path manifests = target.resolve(KUBERNETES_YML);
        for (Path required : List.of(crdFile, manifests)) {
            if (!Files.isRegularFile(required)) {
                throw new IllegalStateException("missing " + required + ": run 'mvn -B package -DskipTests' first "
                        + "(make manifests and make bundle do)");
            }
        }
        List<JsonNode> crds = documents(crdFile);
        if (crds.size() != 1 || !CRD_NAME.equals(crds.get(0).path("metadata").path("name").asText())) {
            throw new IllegalStateException(crdFile + " must hold exactly the CRD " + CRD_NAME);
        }
        List<ClusterRole> roles = new ArrayList<>();
        for (JsonNode doc : documents(manifests)) {
            if ("ClusterRole".equals(doc.path("kind").asText())) {
                roles.add(Serialization.unmarshal(doc.toString(), ClusterRole.class));
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalStateException(manifests + " holds no ClusterRole: QOSDK's RBAC generation is off?");
        }
        roles.sort(Comparator.comparing(r -> r.getMetadata().getName()));
        ObjectNode crd = (ObjectNode) crds.get(0);
        orderPrinterColumns(crd);
        return new BuildOutput(crd, List.copyOf(roles));
    }

    /**
     * The generator sorts printer columns by JSON path, which puts Age first; kubectl shows them in the order of the
     * {@code @AdditionalPrinterColumn} annotations on NvidiaDraDriver (Ready, Reason, Nodes, ...), as the docs do.
     */
    static void orderPrinterColumns(ObjectNode crd) {
        List<String> order = Arrays.stream(NvidiaDraDriver.class.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        for (JsonNode version : crd.path("spec").path("versions")) {
            JsonNode columns = version.path("additionalPrinterColumns");
            if (!columns.isArray()) {
                continue;
            }
            List<JsonNode> sorted = new ArrayList<>();
            columns.forEach(sorted::add);
            sorted.sort(Comparator.comparingInt(c -> {
                int i = order.indexOf(c.path("name").asText());
                return i < 0 ? order.size() : i;
            }));
            ArrayNode reordered = ((ObjectNode) version).putArray("additionalPrinterColumns");
            sorted.forEach(reordered::add);
        }
    }

    static List<JsonNode> documents(Path file) {
        try (MappingIterator<JsonNode> docs = Yaml.READER.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> result = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    result.add(doc);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The CRD's single served and stored version (v1alpha1). */
    public String storedVersion() {
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("storage").asBoolean()) {
                return version.path("name").asText();
            }
        }
        throw new IllegalStateException("CRD " + CRD_NAME + " has no storage version");
    }

    public String kind() {
        return crd.path("spec").path("names").path("kind").asText();
    }

    public String group() {
        return crd.path("spec").path("group").asText();
    }

    /** The openAPIV3Schema of the stored version. */
    public JsonNode schema() {
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("storage").asBoolean()) {
                return version.path("schema").path("openAPIV3Schema");
            }
        }
        throw new IllegalStateException("CRD " + CRD_NAME + " has no storage version");
    }
}
