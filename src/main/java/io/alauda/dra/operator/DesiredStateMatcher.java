package io.alauda.dra.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Decides whether an object on the server already says everything the desired object says. "Subset" semantics:
 * every field we set must be there with our value; fields the server or others add (defaults, status, annotations
 * from kubectl) do not count as a difference. That is what keeps a reconcile with nothing to change from writing,
 * while a field someone edits by hand still shows as drift.
 *
 * <p>Only spec-like content is compared: metadata labels, annotations and owner references we set, and every
 * top-level field other than metadata and status.
 */
public final class DesiredStateMatcher {

    private DesiredStateMatcher() {
    }

    /** JSON paths where actual differs from desired; empty when the object needs no write. */
    public static List<String> differences(HasMetadata desired, HasMetadata actual) {
        JsonNode want = Serialization.jsonMapper().valueToTree(desired);
        JsonNode have = Serialization.jsonMapper().valueToTree(actual);
        List<String> diffs = new ArrayList<>();
        JsonNode wantMeta = want.path("metadata");
        JsonNode haveMeta = have.path("metadata");
        for (String field : List.of("labels", "annotations", "ownerReferences")) {
            compare("metadata." + field, wantMeta.path(field), haveMeta.path(field), false, diffs);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = want.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (!name.equals("metadata") && !name.equals("status") && !name.equals("apiVersion") && !name.equals("kind")) {
                compare(name, field.getValue(), have.path(name), false, diffs);
            }
        }
        return diffs;
    }

    public static boolean matches(HasMetadata desired, HasMetadata actual) {
        return differences(desired, actual).isEmpty();
    }

    private static void compare(String path, JsonNode want, JsonNode have, boolean underResources, List<String> diffs) {
        if (want == null || want.isMissingNode() || want.isNull()) {
            return;
        }
        if (want.isObject()) {
            if (want.isEmpty()) {
                return; // an empty map or object we send is the same as one the server leaves out
            }
            if (!have.isObject()) {
                diffs.add(path);
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> it = want.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                boolean resources = underResources || e.getKey().equals("resources") || e.getKey().equals("capacity");
                compare(path + "." + e.getKey(), e.getValue(), have.path(e.getKey()), resources, diffs);
            }
            return;
        }
        if (want.isArray()) {
            if (want.isEmpty() && (have.isMissingNode() || have.isNull() || (have.isArray() && have.isEmpty()))) {
                return;
            }
            if (!have.isArray() || have.size() != want.size()) {
                diffs.add(path);
                return;
            }
            for (int i = 0; i < want.size(); i++) {
                compare(path + "[" + i + "]", want.get(i), have.get(i), underResources, diffs);
            }
            return;
        }
        if (!scalarEquals(want, have, underResources)) {
            diffs.add(path);
        }
    }

    private static boolean scalarEquals(JsonNode want, JsonNode have, boolean underResources) {
        if (want.equals(have)) {
            return true;
        }
        if (want.isNumber() && have.isNumber()) {
            return want.decimalValue().compareTo(have.decimalValue()) == 0;
        }
        if (underResources && want.isTextual() && have.isTextual()) {
            // The API server canonicalises quantities ("1024Mi" reads back as "1Gi").
            try {
                return Quantity.getAmountInBytes(new Quantity(want.asText()))
                        .compareTo(Quantity.getAmountInBytes(new Quantity(have.asText()))) == 0;
            } catch (IllegalArgumentException | ArithmeticException e) {
                return false;
            }
        }
        return false;
    }
}
