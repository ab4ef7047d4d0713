package io.alauda.dra.delivery;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.util.Map;

/**
 * The operator's Deployment, the same in the plain manifests and in the CSV: one replica of the one image in the
 * {@code operator} role, restricted Pod Security (non-root, no privilege escalation, no capabilities, RuntimeDefault
 * seccomp, read-only root filesystem with an emptyDir on /tmp).
 */
public final class OperatorDeployment {

    private OperatorDeployment() {
    }

    public static Deployment desired(DeliveryConfig config) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(Install.DEPLOYMENT)
                .withNamespace(Install.NAMESPACE)
                .withLabels(Install.labels(config.version()))
                .endMetadata()
                .withNewSpec()
                // One replica. Leader election (a Lease in the operator's namespace) keeps a second copy idle, e.g. the
                // old pod on a node that became unreachable while a replacement started elsewhere.
                .withReplicas(1)
                .withNewSelector().withMatchLabels(Install.selector()).endSelector()
                // Recreate: the old pod holds the Lease until it stops, so a surged new pod could not become ready
                // before the old one left; an operator that is down for a few seconds during an upgrade affects no
                // workload (the driver pods keep running).
                .withNewStrategy().withType("Recreate").endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(Install.labels(config.version())).endMetadata()
                .withNewSpec()
                .withServiceAccountName(Install.SERVICE_ACCOUNT)
                .withNodeSelector(Map.of("kubernetes.io/os", "linux"))
                .withNewSecurityContext()
                // The image's USER is the numeric 185, so the kubelet can check this; no fixed runAsUser, so OpenShift's
                // restricted SCC may pick the UID.
                .withRunAsNonRoot(true)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(config))
                .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(DeliveryConfig config) {
        return new ContainerBuilder()
                .withName(Install.CONTAINER)
                .withImage(config.image())
                .withImagePullPolicy("IfNotPresent")
                // The role of the one image (io.alauda.dra.Main); the image's ENTRYPOINT passes it on.
                .withArgs("operator")
                // The image the operator deploys for the kubelet plugin and the controller when the CR names none:
                // the operator's own (one image, every role). OLM rewrites it from relatedImages when mirroring.
                .addNewEnv().withName(Install.RELATED_IMAGE_ENV).withValue(config.image()).endEnv()
                .addNewPort().withName("http").withContainerPort(Install.HTTP_PORT).withProtocol("TCP").endPort()
                .withStartupProbe(probe("/q/health/started", 5, 24))
                .withLivenessProbe(probe("/q/health/live", 10, 3))
                .withReadinessProbe(probe("/q/health/ready", 10, 3))
                .withNewResources()
                .addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("256Mi"))
                // A memory limit but no CPU limit: the JVM sizes its heap from the limit (MaxRAMPercentage in the
                // image), and a CPU limit would only throttle start-up and informer resyncs.
                .addToLimits("memory", new Quantity("512Mi"))
                .endResources()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                // JNA and Vert.x write scratch files under /tmp; the root filesystem stays read-only.
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(5)
                .withFailureThreshold(failureThreshold)
                .build();
    }
}
