package io.alauda.dra.operator;

import io.alauda.dra.operator.resources.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The applier against the fabric8 mock API server in CRUD mode, with a map standing in for the watches' cache.
 * Requests are counted from the mock's request log.
 */
@EnableKubernetesMockClient(crud = true)
class ResourceApplierTest {

    private static final String OWNER = "default";
    private static final String NS = "dra";

    KubernetesClient client;
    KubernetesMockServer server;

    /** The watches' cache: what the test puts in, and what the applier reports it wrote. */
    private final Map<String, HasMetadata> cached = new HashMap<>();
    private boolean watched = true;
    private final OwnedObjects cache = new OwnedObjects() {
        @Override
        public Lookup find(Class<? extends HasMetadata> type, String namespace, String name) {
            return watched ? Lookup.of(cached.get(namespace + "/" + name)) : Lookup.unknown();
        }

        @Override
        public <T extends HasMetadata> List<T> list(Class<T> type) {
            return null;
        }

        @Override
        public void written(HasMetadata answer) {
            cached.put(answer.getMetadata().getNamespace() + "/" + answer.getMetadata().getName(), answer);
        }
    };

    @BeforeEach
    void drainRequestLog() throws InterruptedException {
        requests();
    }

    private static ConfigMap desired(String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace(NS)
                .withLabels(Labels.of(OWNER, Labels.COMPONENT_CONTROLLER)).endMetadata()
                .withData(Map.of("key", value)).build();
    }

    private ConfigMap onServer() {
        return client.configMaps().inNamespace(NS).withName("settings").get();
    }

    /** Method and path of each request since the last call. */
    private List<String> requests() throws InterruptedException {
        List<String> seen = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            seen.add(r.getMethod() + " " + r.getPath());
        }
        return seen;
    }

    @Test
    void createsWhatIsAbsentAndRemembersItsAnswer() throws InterruptedException {
        ResourceApplier applier = new ResourceApplier(client, cache);

        assertEquals(ApplyOutcome.Kind.CREATED, applier.apply(desired("a"), OWNER).kind());
        assertEquals(List.of("POST /api/v1/namespaces/dra/configmaps"), requests());
        assertEquals("a", onServer().getData().get("key"));
        requests();

        assertEquals(ApplyOutcome.Kind.UNCHANGED, applier.apply(desired("a"), OWNER).kind());
        assertEquals(List.of(), requests(), "the next reconcile reads its own write from the cache, not the server");
    }

    @Test
    void nothingDiffersNoWriteAndNoRead() throws InterruptedException {
        ConfigMap existing = client.resource(desired("a")).create();
        existing.getMetadata().setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{}"));
        existing = client.resource(existing).update();
        cached.put(NS + "/settings", existing);
        requests();

        ApplyOutcome outcome = new ResourceApplier(client, cache).apply(desired("a"), OWNER);

        assertEquals(ApplyOutcome.Kind.UNCHANGED, outcome.kind());
        assertEquals(List.of(), requests());
    }

    @Test
    void aFieldWeSetThatDiffersIsWrittenBackKeepingWhatOthersAdded() throws InterruptedException {
        ConfigMap existing = new ConfigMapBuilder(desired("edited-by-hand")).editMetadata()
                .addToAnnotations("note", "kept").addToLabels("extra", "kept").endMetadata().addToData("theirs", "kept").build();
        cached.put(NS + "/settings", client.resource(existing).create());
        requests();

        ApplyOutcome outcome = new ResourceApplier(client, cache).apply(desired("a"), OWNER);

        assertEquals(ApplyOutcome.Kind.UPDATED, outcome.kind());
        assertEquals(List.of("PUT /api/v1/namespaces/dra/configmaps/settings"), requests());
        ConfigMap now = onServer();
        assertEquals("a", now.getData().get("key"));
        assertEquals("kept", now.getMetadata().getAnnotations().get("note"));
        assertEquals("kept", now.getMetadata().getLabels().get("extra"));
        assertEquals(now.getMetadata().getResourceVersion(), cached.get(NS + "/settings").getMetadata().getResourceVersion(),
                "the cache holds the update's answer");
    }

    @Test
    void anObjectOfAnotherCrIsAConflictNotATakeover() throws InterruptedException {
        ConfigMap theirs = new ConfigMapBuilder(desired("theirs")).editMetadata()
                .withLabels(Labels.of("other", Labels.COMPONENT_CONTROLLER)).endMetadata().build();
        cached.put(NS + "/settings", client.resource(theirs).create());
        requests();

        ApplyOutcome outcome = new ResourceApplier(client, cache).apply(desired("a"), OWNER);

        assertEquals(ApplyOutcome.Kind.CONFLICT, outcome.kind());
        assertEquals(Reason.OBJECT_CONFLICT, outcome.problem().reason());
        assertTrue(outcome.problem().message().contains("NvidiaDraDriver other"), outcome.problem().message());
        assertEquals(List.of(), requests());
        assertEquals("theirs", onServer().getData().get("key"));
    }

    @Test
    void anUnlabelledObjectTheWatchesNeverSeeIsAConflictFoundByTheRefusedCreate() throws InterruptedException {
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace(NS).endMetadata()
                .withData(Map.of("key", "hand-made")).build()).create();
        requests();
        ResourceApplier applier = new ResourceApplier(client, cache);

        ApplyOutcome first = applier.apply(desired("a"), OWNER);

        assertEquals(ApplyOutcome.Kind.CONFLICT, first.kind());
        assertTrue(first.problem().message().contains("someone else"), first.problem().message());
        assertEquals(List.of("POST /api/v1/namespaces/dra/configmaps", "GET /api/v1/namespaces/dra/configmaps/settings"), requests());
        assertEquals("hand-made", onServer().getData().get("key"));
        requests();

        assertEquals(ApplyOutcome.Kind.CONFLICT, applier.apply(desired("a"), OWNER).kind());
        assertEquals(List.of("GET /api/v1/namespaces/dra/configmaps/settings"), requests(),
                "once known, the foreign object is read live, without a create the server refuses");
    }

    @Test
    void aCacheThatMissedACreateCostsOneLiveReadAndNoFailure() throws InterruptedException {
        client.resource(desired("a")).create();
        requests(); // the watch has not delivered it: the cache says absent

        ApplyOutcome outcome = new ResourceApplier(client, cache).apply(desired("a"), OWNER);

        assertEquals(ApplyOutcome.Kind.UNCHANGED, outcome.kind());
        assertEquals(List.of("POST /api/v1/namespaces/dra/configmaps", "GET /api/v1/namespaces/dra/configmaps/settings"), requests());
    }

    @Test
    void aStaleCachedVersionIsRetriedOnceAgainstTheServer() throws InterruptedException {
        ConfigMap stale = client.resource(desired("old")).create();
        ConfigMap newer = new ConfigMapBuilder(stale).addToData("key", "newer-by-hand").build();
        client.resource(newer).update();
        cached.put(NS + "/settings", stale);
        requests();

        ApplyOutcome outcome = new ResourceApplier(client, cache).apply(desired("a"), OWNER);

        assertEquals(ApplyOutcome.Kind.UPDATED, outcome.kind(), String.valueOf(outcome.problem()));
        assertEquals(List.of("PUT /api/v1/namespaces/dra/configmaps/settings", "GET /api/v1/namespaces/dra/configmaps/settings",
                "PUT /api/v1/namespaces/dra/configmaps/settings"), requests());
        assertEquals("a", onServer().getData().get("key"));
    }

    @Test
    void aTypeWithoutAWatchIsReadLive() throws InterruptedException {
        watched = false;
        client.resource(desired("a")).create();
        requests();

        assertEquals(ApplyOutcome.Kind.UNCHANGED, new ResourceApplier(client, cache).apply(desired("a"), OWNER).kind());
        assertEquals(List.of("GET /api/v1/namespaces/dra/configmaps/settings"), requests());
    }

    @Test
    void deleteSendsNothingWhenTheWatchHoldsNoObjectOfOurs() throws InterruptedException {
        client.resource(desired("a")).create(); // carries our label but the watch has not seen it yet: next reconcile
        requests();

        assertFalse(new ResourceApplier(client, cache).deleteIfOwned(ConfigMap.class, NS, "settings", OWNER));
        assertEquals(List.of(), requests());
        assertNotNull(onServer());
    }

    @Test
    void deletesWhatTheWatchShowsIsOurs() throws InterruptedException {
        cached.put(NS + "/settings", client.resource(desired("a")).create());
        requests();

        assertTrue(new ResourceApplier(client, cache).deleteIfOwned(ConfigMap.class, NS, "settings", OWNER));
        assertEquals(List.of("DELETE /api/v1/namespaces/dra/configmaps/settings"), requests());
    }

    @Test
    void anotherCrsObjectIsNotDeleted() throws InterruptedException {
        Map<String, String> labels = new LinkedHashMap<>(Labels.of("other", Labels.COMPONENT_CONTROLLER));
        cached.put(NS + "/settings", client.resource(new ConfigMapBuilder(desired("a")).editMetadata().withLabels(labels).endMetadata()
                .build()).create());
        requests();

        assertFalse(new ResourceApplier(client, cache).deleteIfOwned(ConfigMap.class, NS, "settings", OWNER));
        assertEquals(List.of(), requests());
    }
}
