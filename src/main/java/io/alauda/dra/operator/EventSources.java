package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.operator.resources.DesiredState;
import io.alauda.dra.operator.resources.InstallContext;
import io.alauda.dra.operator.resources.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
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
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The watches that bring the operator back when something it made changes or disappears. Each is scoped to the
 * operator's label, so it caches only our own objects. Types the API server may not serve (DeviceClass versions,
 * admission policies, ServiceMonitor) are watched only once preflight has shown they exist, so that an old or
 * partial cluster gets a clear Degraded condition rather than an operator that fails to start.
 *
 * <p>The same watches are the operator's read cache ({@link OwnedObjects}): the applier, the reconciler and the
 * plugin handover read their objects from here rather than from the API server.
 */
final class EventSources implements OwnedObjects {

    static final String NODES = "nodes";

    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Map<Class<?>, InformerEventSource<? extends HasMetadata, NvidiaDraDriver>> byType = new ConcurrentHashMap<>();
    /** Types that the last preflight found not served: there can be no such object to read or delete. */
    private final Set<Class<?>> unserved = ConcurrentHashMap.newKeySet();

    List<EventSource<?, NvidiaDraDriver>> prepare(EventSourceContext<NvidiaDraDriver> context) {
        List<EventSource<?, NvidiaDraDriver>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> type : List.of(DaemonSet.class, Deployment.class, Service.class, ServiceAccount.class,
                Role.class, RoleBinding.class, ClusterRole.class, ClusterRoleBinding.class)) {
            var source = owned(type, type.getSimpleName().toLowerCase(), context);
            byType.put(type, source);
            sources.add(source);
        }
        // Plugin pods, for their node checks: only a change of that condition (or a pod coming or going) reconciles.
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, NvidiaDraDriver.class)
                .withName("pod")
                .withWatchAllNamespaces()
                .withLabelSelector(Labels.MANAGED_SELECTOR + "," + Labels.COMPONENT + "=" + Labels.COMPONENT_KUBELET_PLUGIN)
                .withSecondaryToPrimaryMapper(EventSources::ownerOf)
                .withOnUpdateFilter((now, before) -> !Objects.equals(NodePreflights.condition(now), NodePreflights.condition(before)))
                .build(), context);
        byType.put(Pod.class, pods);
        sources.add(pods);
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, NvidiaDraDriver.class)
                .withName(NODES)
                .withSecondaryToPrimaryMapper(node -> allDrivers(context.getPrimaryCache().list().toList()))
                .withOnUpdateFilter((now, before) -> !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels()))
                .build(), context));
        return sources;
    }

    /** Watches for the types whose presence depends on the cluster, registered the first time they are needed. */
    void registerClusterScoped(Context<NvidiaDraDriver> context, InstallContext ctx) {
        register(context, DesiredState.deviceClassType(ctx), "deviceclass-" + ctx.resourceApiVersion());
        register(context, ValidatingAdmissionPolicy.class, "validatingadmissionpolicy");
        register(context, ValidatingAdmissionPolicyBinding.class, "validatingadmissionpolicybinding");
        if (ctx.serviceMonitorAvailable()) {
            unserved.remove(ServiceMonitor.class);
            register(context, ServiceMonitor.class, "servicemonitor");
        } else if (!byType.containsKey(ServiceMonitor.class)) {
            unserved.add(ServiceMonitor.class);
        }
    }

    @Override
    public Lookup find(Class<? extends HasMetadata> type, String namespace, String name) {
        if (unserved.contains(type)) {
            return Lookup.of(null);
        }
        var source = byType.get(type);
        if (source == null) {
            return Lookup.unknown();
        }
        return Lookup.of(source.get(new ResourceID(name, namespace)).orElse(null));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> List<T> list(Class<T> type) {
        var source = (InformerEventSource<T, NvidiaDraDriver>) byType.get(type);
        return source == null ? null : source.list().toList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void written(HasMetadata answer) {
        var source = (InformerEventSource<HasMetadata, NvidiaDraDriver>) byType.get(answer.getClass());
        if (source != null) {
            source.handleRecentResourceCreate(ResourceID.fromResource(answer), answer);
        }
    }

    @SuppressWarnings("unchecked")
    Collection<Node> nodes(Context<NvidiaDraDriver> context) {
        InformerEventSource<Node, NvidiaDraDriver> source =
                (InformerEventSource<Node, NvidiaDraDriver>) context.eventSourceRetriever().getEventSourceFor(Node.class, NODES);
        return source.list().toList();
    }

    @SuppressWarnings("unchecked")
    private <R extends HasMetadata> void register(Context<NvidiaDraDriver> context, Class<R> type, String name) {
        if (!registered.add(name)) {
            return;
        }
        var retriever = context.eventSourceRetriever();
        // Kept only once started (registering starts it and waits for its list), so no reader sees an empty cache.
        var source = retriever.dynamicallyRegisterEventSource(owned(type, name, retriever.eventSourceContextForDynamicRegistration()));
        byType.put(type, (InformerEventSource<R, NvidiaDraDriver>) source);
    }

    private static <R extends HasMetadata> InformerEventSource<R, NvidiaDraDriver> owned(Class<R> type, String name,
            EventSourceContext<NvidiaDraDriver> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, NvidiaDraDriver.class)
                .withName(name)
                .withWatchAllNamespaces()
                .withLabelSelector(Labels.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(EventSources::ownerOf)
                .build(), context);
    }

    private static Set<ResourceID> ownerOf(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String owner = labels == null ? null : labels.get(Labels.OWNER);
        return owner == null ? Set.of() : Set.of(new ResourceID(owner));
    }

    private static Set<ResourceID> allDrivers(List<NvidiaDraDriver> drivers) {
        return drivers.stream().map(d -> new ResourceID(d.getMetadata().getName())).collect(Collectors.toSet());
    }
}
