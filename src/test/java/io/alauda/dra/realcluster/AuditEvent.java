package io.alauda.dra.realcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One request as kube-apiserver's audit log records it (ResponseComplete or Panic stage).
 *
 * @param resource {@code group/resource} ({@code resource} for the core group), with {@code /subresource} when there
 *                 is one; empty for non-resource URLs
 */
public record AuditEvent(String user, String verb, String resource, String namespace, String name, int code, String uri) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<AuditEvent> read(Path log) throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        if (!Files.exists(log)) {
            return events;
        }
        for (String line : Files.readAllLines(log)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            String stage = event.path("stage").asText();
            if (!stage.equals("ResponseComplete") && !stage.equals("Panic")) {
                continue;
            }
            JsonNode ref = event.path("objectRef");
            String group = ref.path("apiGroup").asText("");
            String resource = ref.path("resource").asText("");
            if (!resource.isEmpty()) {
                resource = (group.isEmpty() ? "" : group + "/") + resource
                        + (ref.hasNonNull("subresource") ? "/" + ref.path("subresource").asText() : "");
            }
            events.add(new AuditEvent(event.path("user").path("username").asText(), event.path("verb").asText(), resource,
                    ref.path("namespace").asText(""), ref.path("name").asText(""), event.path("responseStatus").path("code").asInt(),
                    event.path("requestURI").asText()));
        }
        return events;
    }

    /** A write: what an idle operator should not send. */
    public boolean isWrite() {
        return List.of("create", "update", "patch", "delete", "deletecollection").contains(verb);
    }

    public boolean isLease() {
        return resource.equals("coordination.k8s.io/leases");
    }

    @Override
    public String toString() {
        return code + " " + verb + " " + resource + " " + (namespace.isEmpty() ? "" : namespace + "/") + name + " (" + uri + ")";
    }
}
