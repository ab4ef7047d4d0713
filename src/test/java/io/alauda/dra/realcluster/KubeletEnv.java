package io.alauda.dra.realcluster;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.HashMap;
import java.util.Map;

/** A pod's first container's environment as kubelet would give it: literal values and the downward-API fields. */
final class KubeletEnv {

    private KubeletEnv() {
    }

    static Map<String, String> of(Pod pod) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : pod.getSpec().getContainers().get(0).getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
                String field = var.getValueFrom().getFieldRef().getFieldPath();
                String value = switch (field) {
                    case "spec.nodeName" -> pod.getSpec().getNodeName();
                    case "metadata.name" -> pod.getMetadata().getName();
                    case "metadata.namespace" -> pod.getMetadata().getNamespace();
                    case "metadata.uid" -> pod.getMetadata().getUid();
                    default -> throw new IllegalStateException("env " + var.getName() + " of pod " + pod.getMetadata().getName()
                            + " uses field " + field + ", which this stand-in kubelet does not resolve");
                };
                env.put(var.getName(), value);
            } else if (var.getValueFrom() == null) {
                env.put(var.getName(), ""); // the API server drops an empty value; kubelet sets the variable empty
            } else {
                throw new IllegalStateException("env " + var.getName() + " of pod " + pod.getMetadata().getName()
                        + " comes from a source this stand-in kubelet does not resolve");
            }
        }
        // JDK_JAVA_OPTIONS stays: the plugins here run with the JVM options the operator ships (the footprint options
        // and the memory cap), so the real-control-plane suite proves those options too.
        return env;
    }
}
