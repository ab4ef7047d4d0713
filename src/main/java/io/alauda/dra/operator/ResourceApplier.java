package io.alauda.dra.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alauda.dra.operator.resources.Labels;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates, updates and deletes the operator's objects with plain create/update (Server-Side Apply is off: why is in
 * docs/design-decisions.md). It writes only when the server's object does not already say what we want,
 * and it never takes over an object that another owner made.
 *
 * <p>When the API server keeps rewriting a field we set (a field behind a disabled feature gate is dropped, for
 * example), comparing would find a difference forever. So after each write the applier remembers what it wrote
 * and the resourceVersion the server answered with: while neither changes, there is nothing to do.
 *
 * <p>It reads the server's object from the operator's watches ({@link OwnedObjects}), not from the API server: a
 * reconcile with nothing to change sends nothing. A watch can lag a change, so a write the server refuses with a
 * conflict (AlreadyExists on create, a stale resourceVersion on update) is retried once against a live read. An
 * object of another manager carries no operator label, so no watch holds it: once a create has run into it, it is
 * read live from then on, so that the conflict costs one GET per reconcile and not a refused create as well.
 */
final class ResourceApplier {

    private static final Logger LOG = Logger.getLogger(ResourceApplier.class);

    private final KubernetesClient client;
    private final OwnedObjects cache;
    private final Map<String, Written> lastWritten = new ConcurrentHashMap<>();
    /** Keys of objects found to exist without the operator's label: the watches never hold them. */
    private final Set<String> unwatchedObjects = ConcurrentHashMap.newKeySet();

    private record Written(String desiredHash, String resourceVersion, List<String> notKept) {
    }

    ResourceApplier(KubernetesClient client, OwnedObjects cache) {
        this.client = client;
        this.cache = cache;
    }

    /** Creates or updates {@code desired} so the server's object says what it says; owner is the CR's name. */
    ApplyOutcome apply(HasMetadata desired, String owner) {
        String key = key(desired);
        String describe = describe(desired);
        try {
            OwnedObjects.Lookup cached = unwatchedObjects.contains(key) ? OwnedObjects.Lookup.unknown()
                    : cache.find(desired.getClass(), desired.getMetadata().getNamespace(), desired.getMetadata().getName());
            if (!cached.watched()) {
                return applyTo(desired, owner, client.resource(desired).get(), key, describe);
            }
            try {
                return applyTo(desired, owner, cached.object(), key, describe);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                LOG.debugf("the watch was behind the server on %s (%s): reading it live", describe, statusMessage(e));
                return applyTo(desired, owner, client.resource(desired).get(), key, describe);
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("could not apply %s: %s", describe, e.getMessage());
            return new ApplyOutcome(ApplyOutcome.Kind.FAILED, describe, Problem.of(Reason.APPLY_FAILED, "write", describe, statusMessage(e)));
        }
    }

    private ApplyOutcome applyTo(HasMetadata desired, String owner, HasMetadata actual, String key, String describe) {
        String hash = hash(desired);
        if (actual == null) {
            HasMetadata created = client.resource(desired).create();
            unwatchedObjects.remove(key);
            remember(key, hash, desired, created);
            LOG.infof("created %s", describe);
            return new ApplyOutcome(ApplyOutcome.Kind.CREATED, describe, null);
        }
        if (!Labels.MANAGED_BY_VALUE.equals(labels(actual).get(Labels.MANAGED_BY))) {
            unwatchedObjects.add(key);
        } else {
            unwatchedObjects.remove(key);
        }
        String actualOwner = labels(actual).get(Labels.OWNER);
        if (!owner.equals(actualOwner)) {
            String by = actualOwner != null ? "NvidiaDraDriver " + actualOwner
                    : labels(actual).getOrDefault(Labels.MANAGED_BY, "someone else");
            return new ApplyOutcome(ApplyOutcome.Kind.CONFLICT, describe, Problem.of(Reason.OBJECT_CONFLICT, describe, by));
        }
        Written written = lastWritten.get(key);
        if (written != null && written.desiredHash.equals(hash)
                && Objects.equals(written.resourceVersion, actual.getMetadata().getResourceVersion())) {
            return new ApplyOutcome(ApplyOutcome.Kind.UNCHANGED, describe, notKeptDetail(describe, written.notKept));
        }
        List<String> diffs = DesiredStateMatcher.differences(desired, actual);
        if (diffs.isEmpty()) {
            return new ApplyOutcome(ApplyOutcome.Kind.UNCHANGED, describe, null);
        }
        HasMetadata updated = client.resource(mergeForUpdate(desired, actual)).update();
        Written now = remember(key, hash, desired, updated);
        LOG.infof("updated %s (differed at %s)", describe, String.join(", ", diffs));
        return new ApplyOutcome(ApplyOutcome.Kind.UPDATED, describe, notKeptDetail(describe, now.notKept));
    }

    /**
     * Deletes the object if it exists and carries our owner label; returns whether a delete was sent. An object that
     * is already being deleted (a foreground delete waits for its dependents) is not deleted again.
     */
    boolean deleteIfOwned(Class<? extends HasMetadata> type, String namespace, String name, String owner) {
        var op = namespace == null ? client.resources(type).withName(name) : client.resources(type).inNamespace(namespace).withName(name);
        // Absent from a watch that selects our label means: nothing of ours to delete.
        HasMetadata actual = cache.get(type, namespace, name, client);
        if (actual == null || !owner.equals(labels(actual).get(Labels.OWNER)) || actual.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        op.withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
        lastWritten.remove(key(actual));
        LOG.infof("deleted %s", describe(actual));
        return true;
    }

    /**
     * {@link #deleteIfOwned}, an object already gone counting as done; any other failure degrades the report, naming
     * the object and {@code whose} it was. Returns whether the object is gone (or not ours).
     */
    boolean deleteOrReport(Class<? extends HasMetadata> type, String namespace, String name, String owner, Report report,
            String whose) {
        try {
            deleteIfOwned(type, namespace, name, owner);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return true;
            }
            report.add(Reason.APPLY_FAILED, "delete", HasMetadata.getKind(type) + " " + (namespace == null ? "" : namespace + "/") + name
                    + " of " + whose, statusMessage(e));
            return false;
        }
    }

    /** The existing object with our labels, annotations and owner references laid over it, and our top-level fields in place of its own. */
    static HasMetadata mergeForUpdate(HasMetadata desired, HasMetadata actual) {
        ObjectNode base = Serialization.jsonMapper().valueToTree(actual);
        ObjectNode want = Serialization.jsonMapper().valueToTree(desired);
        Iterator<Map.Entry<String, JsonNode>> fields = want.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("metadata") && !field.getKey().equals("status")) {
                base.set(field.getKey(), field.getValue());
            }
        }
        HasMetadata merged = Serialization.jsonMapper().convertValue(base, desired.getClass());
        ObjectMeta meta = merged.getMetadata();
        meta.setLabels(overlay(meta.getLabels(), desired.getMetadata().getLabels()));
        meta.setAnnotations(overlay(meta.getAnnotations(), desired.getMetadata().getAnnotations()));
        meta.setOwnerReferences(desired.getMetadata().getOwnerReferences());
        return merged;
    }

    private Written remember(String key, String hash, HasMetadata desired, HasMetadata answer) {
        List<String> notKept = answer == null ? List.of() : DesiredStateMatcher.differences(desired, answer);
        if (!notKept.isEmpty()) {
            LOG.warnf("the API server did not keep %s of %s; not writing it again until the spec or the object changes",
                    String.join(", ", notKept), describe(desired));
        }
        Written written = new Written(hash, answer == null ? null : answer.getMetadata().getResourceVersion(), notKept);
        lastWritten.put(key, written);
        if (answer != null) {
            cache.written(answer);
        }
        return written;
    }

    private static Problem notKeptDetail(String describe, List<String> notKept) {
        return notKept.isEmpty() ? null : Problem.of(Reason.FIELD_NOT_KEPT, String.join(", ", notKept), describe);
    }

    private static Map<String, String> overlay(Map<String, String> base, Map<String, String> ours) {
        Map<String, String> result = new LinkedHashMap<>();
        if (base != null) {
            result.putAll(base);
        }
        if (ours != null) {
            result.putAll(ours);
        }
        return result.isEmpty() ? null : result;
    }

    static Map<String, String> labels(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    static String describe(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return object.getKind() + " " + (ns == null ? "" : ns + "/") + object.getMetadata().getName();
    }

    private static String key(HasMetadata object) {
        return object.getApiVersion().replaceAll("/.*", "") + "/" + object.getKind() + "/" + object.getMetadata().getNamespace()
                + "/" + object.getMetadata().getName();
    }

    private static String hash(HasMetadata desired) {
        try {
            byte[] json = Serialization.asJson(desired).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String statusMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }
}
