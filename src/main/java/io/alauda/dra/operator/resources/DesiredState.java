package io.alauda.dra.operator.resources;

import io.alauda.dra.api.v1alpha1.FeatureGates;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Everything one NvidiaDraDriver becomes, in the order it is created: identities and permissions before the pods
 * that use them, the admission policy before the plugin that it constrains, the DaemonSet last. Deletion runs the
 * other way round, DaemonSet first.
 */
public final class DesiredState {

    private static final Predicate<InstallContext> ALWAYS = ctx -> true;
    private static final Predicate<InstallContext> METRICS = ctx -> ctx.spec().metrics.enabled;
    private static final Predicate<InstallContext> MPS = ctx -> FeatureGates.on(ctx.spec().featureGates, FeatureGates.MPS_SUPPORT);

    private static final List<ManagedObject> CATALOG = List.of(
            namespaced(Names.kubeletPluginServiceAccount(), ServiceAccount.class, ALWAYS, ServiceAccounts::kubeletPlugin),
            namespaced(Names.controllerServiceAccount(), ServiceAccount.class, ALWAYS, ServiceAccounts::controller),
            cluster(Names.KUBELET_PLUGIN, ClusterRole.class, ALWAYS, KubeletPluginRbac::clusterRole),
            cluster(Names.KUBELET_PLUGIN, ClusterRoleBinding.class, ALWAYS, KubeletPluginRbac::clusterRoleBinding),
            cluster(Names.CONTROLLER, ClusterRole.class, ALWAYS, ControllerRbac::clusterRole),
            cluster(Names.CONTROLLER, ClusterRoleBinding.class, ALWAYS, ControllerRbac::clusterRoleBinding),
            namespaced(Names.CONTROLLER_LEADER_ELECTION, Role.class, ALWAYS, ControllerRbac::leaderElectionRole),
            namespaced(Names.CONTROLLER_LEADER_ELECTION, RoleBinding.class, ALWAYS, ControllerRbac::leaderElectionRoleBinding),
            namespaced(Names.KUBELET_PLUGIN_POD_STATUS, Role.class, ALWAYS, KubeletPluginRbac::podStatusRole),
            namespaced(Names.KUBELET_PLUGIN_POD_STATUS, RoleBinding.class, ALWAYS, KubeletPluginRbac::podStatusRoleBinding),
            namespaced(Names.KUBELET_PLUGIN_MPS, RoleBinding.class, MPS, KubeletPluginRbac::mpsRoleBinding),
            cluster(Names.RESOURCE_SLICE_POLICY, ValidatingAdmissionPolicy.class, ALWAYS, ResourceSlicePolicy::policy),
            cluster(Names.RESOURCE_SLICE_POLICY, ValidatingAdmissionPolicyBinding.class, ALWAYS, ResourceSlicePolicy::binding),
            cluster(Names.KUBELET_PLUGIN_POD_STATUS, ValidatingAdmissionPolicy.class, ALWAYS, PluginPodStatusPolicy::policy),
            cluster(Names.KUBELET_PLUGIN_POD_STATUS, ValidatingAdmissionPolicyBinding.class, ALWAYS, PluginPodStatusPolicy::binding),
            new ManagedObject(Names.GPU_DEVICE_CLASS, false, DesiredState::deviceClassType,
                    ctx -> ctx.spec().deviceClasses.gpu.enabled, DeviceClasses::gpu),
            new ManagedObject(Names.MIG_DEVICE_CLASS, false, DesiredState::deviceClassType,
                    ctx -> ctx.spec().deviceClasses.mig.enabled, DeviceClasses::mig),
            namespaced(Names.CONTROLLER_METRICS, Service.class, METRICS, MetricsServices::controller),
            namespaced(Names.KUBELET_PLUGIN_METRICS, Service.class, METRICS, MetricsServices::kubeletPlugin),
            namespaced(Names.SERVICE_MONITOR, ServiceMonitor.class,
                    ctx -> ctx.spec().metrics.enabled && ctx.spec().metrics.serviceMonitor.enabled && ctx.serviceMonitorAvailable(),
                    DriverServiceMonitor::desired),
            namespaced(Names.CONTROLLER, Deployment.class, ALWAYS, ControllerDeployment::desired),
            namespaced(Names.KUBELET_PLUGIN, DaemonSet.class, ALWAYS, KubeletPluginDaemonSet::desired));

    private DesiredState() {
    }

    /** Every object the operator may own, in creation order. */
    public static List<ManagedObject> catalog() {
        return CATALOG;
    }

    /** The objects wanted for this context, built, in creation order. */
    public static List<HasMetadata> build(InstallContext ctx) {
        return CATALOG.stream().filter(m -> m.wanted().test(ctx)).map(m -> m.build(ctx)).toList();
    }

    public static Class<? extends HasMetadata> deviceClassType(InstallContext ctx) {
        return ResourceApiVersion.parse(ctx.resourceApiVersion()).deviceClassClass();
    }

    private static ManagedObject namespaced(String name, Class<? extends HasMetadata> type, Predicate<InstallContext> wanted,
            Function<InstallContext, ? extends HasMetadata> builder) {
        return new ManagedObject(name, true, ctx -> type, wanted, builder::apply);
    }

    private static ManagedObject cluster(String name, Class<? extends HasMetadata> type, Predicate<InstallContext> wanted,
            Function<InstallContext, ? extends HasMetadata> builder) {
        return new ManagedObject(name, false, ctx -> type, wanted, builder::apply);
    }
}
