package io.alauda.dra.plugin.sharing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Daemons as Deployments against the mock API server: create once, ready from the status, listed per node, deleted. */
@EnableKubernetesMockClient(crud = true)
class KubernetesMpsDaemonsTest {

    KubernetesClient client;

    private static final String UID = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    private static final String GPU = "GPU-4f1c7d3e-0000-0000-0000-000000000000";

    private MpsDaemonSpec spec(String id) {
        return new MpsDaemonSpec(id, List.of(GPU), null, Map.of(), false,
                new MpsDirectories(Path.of("/plugins/mps"), new FakeMpsDaemons()).paths(id));
    }

    private KubernetesMpsDaemons daemons(String node) {
        return new KubernetesMpsDaemons(client, new MpsDeploymentBuilder("drivers", node, "img:1", "/", false));
    }

    @Test
    void startCreatesOnceReadinessFollowsTheStatusAndStopDeletes() throws MpsException {
        String id = MpsDaemonIds.of(UID, List.of(GPU));
        KubernetesMpsDaemons daemons = daemons("node-a");

        daemons.start(spec(id));
        daemons.start(spec(id));

        Deployment d = client.apps().deployments().inNamespace("drivers").withName("mps-control-daemon-" + id).get();
        assertEquals("node-a", d.getSpec().getTemplate().getSpec().getNodeName());
        assertFalse(daemons.isReady(id));

        d.setStatus(new DeploymentStatusBuilder().withReadyReplicas(1).build());
        client.apps().deployments().inNamespace("drivers").resource(d).updateStatus();
        assertTrue(daemons.isReady(id));

        daemons.stop(id);
        daemons.stop(id);
        assertNull(client.apps().deployments().inNamespace("drivers").withName("mps-control-daemon-" + id).get());
    }

    @Test
    void onlyThisNodesDaemonsAreListed() throws MpsException {
        String mine = MpsDaemonIds.of(UID, List.of(GPU));
        String theirs = MpsDaemonIds.of("1b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", List.of(GPU));
        daemons("node-a").start(spec(mine));
        daemons("node-b").start(spec(theirs));

        assertEquals(Set.of(mine), daemons("node-a").daemonsOnNode());
    }
}
