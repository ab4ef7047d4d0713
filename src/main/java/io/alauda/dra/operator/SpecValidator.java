package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.FeatureGates;
import io.alauda.dra.api.v1alpha1.HostPaths;
import io.alauda.dra.api.v1alpha1.ImageSpec;
import io.alauda.dra.api.v1alpha1.KubeletPluginSpec;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriverSpec;
import io.alauda.dra.api.v1alpha1.SpecReadProblems;
import io.alauda.dra.operator.resources.PluginEnv;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The operator's own check of a spec. The CRD schema refuses most bad input at the API server, but a CR can still
 * arrive invalid (an older CRD installed by hand, a server that skipped validation), and some rules span objects
 * the schema cannot see. Each problem names the field and the fix.
 */
final class SpecValidator {

    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Pattern DURATION = Pattern.compile("^([0-9]+(ms|s|m|h))+$");
    private static final Pattern MAX_UNAVAILABLE = Pattern.compile("^([0-9]+|([0-9]|[1-9][0-9]|100)%)$");
    private static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");

    private SpecValidator() {
    }

    static List<String> problems(NvidiaDraDriverSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            problems.add("spec is missing; an empty spec ({}) takes every default");
            return problems;
        }
        // values that could not be read at all (another CRD version let them through): dropped, and named here
        problems.addAll(SpecReadProblems.of(spec));
        if (spec.namespace == null || !DNS_LABEL.matcher(spec.namespace).matches()) {
            problems.add("spec.namespace '" + spec.namespace + "' is not a valid namespace name (lower-case letters, digits and '-', at most 63)");
        }
        if ("default".equals(spec.namespace) && !spec.allowDefaultNamespace) {
            problems.add(NvidiaDraDriverSpec.DEFAULT_NAMESPACE_MESSAGE);
        }
        path(problems, "spec.driverRoot", spec.driverRoot, HostPaths.Use.DRIVER_ROOT, true);
        path(problems, "spec.cdiRoot", spec.cdiRoot, HostPaths.Use.WRITTEN_DIR, true);
        path(problems, "spec.kubeletPluginsDir", spec.kubeletPluginsDir, HostPaths.Use.WRITTEN_DIR, true);
        path(problems, "spec.kubeletRegistrarDir", spec.kubeletRegistrarDir, HostPaths.Use.WRITTEN_DIR, true);
        path(problems, "spec.cdiHookPath", spec.cdiHookPath, HostPaths.Use.FILE, false);
        if (spec.image != null && spec.image.tag != null && !spec.image.tag.isEmpty()
                && (spec.image.repository == null || spec.image.repository.isEmpty())) {
            problems.add(ImageSpec.TAG_WITHOUT_REPOSITORY);
        }
        if (spec.nodeSelector == null || spec.nodeSelector.isEmpty()) {
            problems.add("spec.nodeSelector must name at least one label, e.g. nvidia-device-enable: pgpu-dra; an empty selector would put the plugin on every node");
        }
        if (spec.nodeSelector != null && spec.conflictingNodeLabels != null) {
            for (Map.Entry<String, String> e : spec.conflictingNodeLabels.entrySet()) {
                if (e.getValue() != null && e.getValue().equals(spec.nodeSelector.get(e.getKey()))) {
                    problems.add("spec.conflictingNodeLabels." + e.getKey() + "=" + e.getValue()
                            + " is also in spec.nodeSelector, so no node could ever run the plugin; remove it from one of them");
                }
            }
        }
        problems.addAll(FeatureGates.problems(spec.featureGates));
        kubeletPlugin(problems, spec.kubeletPlugin);
        if (spec.controller != null && (spec.controller.replicas < 0 || spec.controller.replicas > 5)) {
            problems.add("spec.controller.replicas must be between 0 and 5, got " + spec.controller.replicas);
        }
        if (spec.metrics != null) {
            port(problems, "spec.metrics.port", spec.metrics.port, 1024);
            if (spec.kubeletPlugin != null && spec.metrics.port == spec.kubeletPlugin.healthcheckPort) {
                problems.add("spec.metrics.port and spec.kubeletPlugin.healthcheckPort are both " + spec.metrics.port + "; give them different ports");
            }
            if (spec.metrics.serviceMonitor != null && (spec.metrics.serviceMonitor.interval == null
                    || !DURATION.matcher(spec.metrics.serviceMonitor.interval).matches())) {
                problems.add("spec.metrics.serviceMonitor.interval '" + spec.metrics.serviceMonitor.interval
                        + "' is not a Prometheus duration; use e.g. 30s or 1m");
            }
        }
        if (spec.image != null && spec.image.pullSecrets != null) {
            for (String secret : spec.image.pullSecrets) {
                if (secret == null || secret.isEmpty()) {
                    problems.add("spec.image.pullSecrets has an empty name; list Secret names in spec.namespace");
                }
            }
        }
        return problems;
    }

    private static void kubeletPlugin(List<String> problems, KubeletPluginSpec plugin) {
        if (plugin == null) {
            return;
        }
        port(problems, "spec.kubeletPlugin.healthcheckPort", plugin.healthcheckPort, 1);
        if (plugin.updateStrategy != null && plugin.updateStrategy.maxUnavailable != null) {
            if (!MAX_UNAVAILABLE.matcher(plugin.updateStrategy.maxUnavailable).matches()) {
                problems.add("spec.kubeletPlugin.updateStrategy.maxUnavailable '" + plugin.updateStrategy.maxUnavailable
                        + "' must be a number or a percentage such as 10%");
            } else if (plugin.updateStrategy.maxUnavailable.matches("0%?")) {
                problems.add("spec.kubeletPlugin.updateStrategy.maxUnavailable must be above 0: a node cannot run two plugins at once, so an update needs room to stop one");
            }
        }
        if (plugin.env != null) {
            for (EnvVar var : plugin.env) {
                String name = var == null ? null : var.getName();
                if (name == null || !ENV_NAME.matcher(name).matches()) {
                    problems.add("spec.kubeletPlugin.env has an invalid variable name '" + name + "'");
                } else if (PluginEnv.RESERVED.contains(name)) {
                    problems.add("spec.kubeletPlugin.env sets " + name + ", which the operator sets from the spec; use the matching spec field instead");
                }
            }
        }
    }

    private static void path(List<String> problems, String field, String value, HostPaths.Use use, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                problems.add(field + " is required: an absolute path");
            }
            return;
        }
        String problem = HostPaths.problem(value, use);
        if (problem != null) {
            problems.add(field + " '" + value + "' " + problem);
        }
    }

    private static void port(List<String> problems, String field, int port, int min) {
        if (port < min || port > 65535) {
            problems.add(field + " must be between " + min + " and 65535, got " + port);
        }
    }
}
