package io.alauda.dra.plugin.sharing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.util.Set;
import java.util.TreeSet;

/**
 * MPS control daemons as Deployments in the plugin's namespace, one per daemon, pinned to this node. A Deployment
 * rather than a child process of the plugin: the daemon must outlive the plugin's restarts and upgrades (its clients
 * fail when it goes), and the kubelet restarts it if it dies; the plugin's pod would take it down with it.
 */
public final class KubernetesMpsDaemons implements MpsDaemonControl {

    private final KubernetesClient client;
    private final MpsDeploymentBuilder builder;

    public KubernetesMpsDaemons(KubernetesClient client, MpsDeploymentBuilder builder) {
        this.client = client;
        this.builder = builder;
    }

    @Override
    public void start(MpsDaemonSpec spec) throws MpsException {
        Deployment wanted = builder.build(spec);
        try {
            if (deployments().withName(wanted.getMetadata().getName()).get() != null) {
                return;
            }
            deployments().resource(wanted).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return;
            }
            throw new MpsException("cannot create Deployment " + builder.namespace() + "/" + wanted.getMetadata().getName()
                    + ": " + e.getMessage() + forbiddenHint(e), e);
        }
    }

    @Override
    public boolean isReady(String id) throws MpsException {
        try {
            Deployment d = deployments().withName(MpsDeploymentBuilder.name(id)).get();
            return d != null && d.getStatus() != null && d.getStatus().getReadyReplicas() != null
                    && d.getStatus().getReadyReplicas() >= 1;
        } catch (KubernetesClientException e) {
            throw new MpsException("cannot read Deployment " + MpsDeploymentBuilder.name(id) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void stop(String id) throws MpsException {
        String name = MpsDeploymentBuilder.name(id);
        try {
            deployments().withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return;
            }
            throw new MpsException("cannot delete Deployment " + builder.namespace() + "/" + name + ": " + e.getMessage()
                    + forbiddenHint(e), e);
        }
    }

    @Override
    public Set<String> daemonsOnNode() throws MpsException {
        Set<String> ids = new TreeSet<>();
        try {
            for (Deployment d : deployments().withLabel(MpsDeploymentBuilder.COMPONENT_LABEL, MpsDeploymentBuilder.COMPONENT)
                    .list().getItems()) {
                String id = d.getMetadata().getLabels().get(MpsDeploymentBuilder.ID_LABEL);
                boolean here = d.getSpec() != null && d.getSpec().getTemplate() != null
                        && d.getSpec().getTemplate().getSpec() != null
                        && builder.nodeName().equals(d.getSpec().getTemplate().getSpec().getNodeName());
                if (here && MpsDaemonIds.isValid(id)) {
                    ids.add(id);
                }
            }
        } catch (KubernetesClientException e) {
            throw new MpsException("cannot list MPS control daemon Deployments in " + builder.namespace() + ": "
                    + e.getMessage(), e);
        }
        return ids;
    }

    @Override
    public String describe(String id) {
        return "kubectl -n " + builder.namespace() + " describe deployment " + MpsDeploymentBuilder.name(id);
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Deployment,
            io.fabric8.kubernetes.api.model.apps.DeploymentList,
            io.fabric8.kubernetes.client.dsl.RollableScalableResource<Deployment>> deployments() {
        return client.apps().deployments().inNamespace(builder.namespace());
    }

    private static String forbiddenHint(KubernetesClientException e) {
        return e.getCode() == HttpURLConnection.HTTP_FORBIDDEN ? "; the plugin's ServiceAccount may manage Deployments"
                + " only when spec.featureGates.MPSSupport is true on the NvidiaDraDriver" : "";
    }
}
