package io.alauda.dra.operator;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.alauda.dra.api.v1alpha1.FeatureGates;
import io.alauda.dra.metrics.BuildInfo;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriverStatus;
import io.alauda.dra.operator.resources.DesiredState;
import io.alauda.dra.operator.resources.InstallContext;
import io.alauda.dra.operator.resources.Labels;
import io.alauda.dra.operator.resources.ManagedObject;
import io.alauda.dra.operator.resources.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Turns the active NvidiaDraDriver into the complete driver install and keeps it so: validate, preflight, apply the
 * desired objects (writing only what differs), then report status. An invalid spec or a failed preflight changes
 * nothing on the cluster: what was installed before keeps running.
 */
@ControllerConfiguration(name = NvidiaDraDriverReconciler.NAME,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
// Update and delete of every type below (and get of Leases) are confined by name in the shipped ClusterRole to what
// OwnedNames lists; the build narrows these rules (io.alauda.dra.delivery.OperatorPermissions, docs/rbac.md).
@RBACRule(apiGroups = "", resources = {"namespaces"}, verbs = {"get", "create", "delete"})
@RBACRule(apiGroups = "", resources = {"serviceaccounts", "services"}, verbs = {"get", "list", "watch", "create", "update", "delete"})
@RBACRule(apiGroups = "apps", resources = {"daemonsets", "deployments"}, verbs = {"get", "list", "watch", "create", "update", "delete"})
@RBACRule(apiGroups = "rbac.authorization.k8s.io", resources = {"clusterroles", "clusterrolebindings", "roles", "rolebindings"},
        verbs = {"get", "list", "watch", "create", "update", "delete"})
// Binding the fixed MPS ClusterRole shipped with the install (confined to its name by the build, like the verbs above).
@RBACRule(apiGroups = "rbac.authorization.k8s.io", resources = {"clusterroles"}, verbs = {"bind"})
@RBACRule(apiGroups = "admissionregistration.k8s.io", resources = {"validatingadmissionpolicies", "validatingadmissionpolicybindings"},
        verbs = {"get", "list", "watch", "create", "update", "delete"})
@RBACRule(apiGroups = "resource.k8s.io", resources = {"deviceclasses"}, verbs = {"get", "list", "watch", "create", "update", "delete"})
@RBACRule(apiGroups = "monitoring.coreos.com", resources = {"servicemonitors"}, verbs = {"get", "list", "watch", "create", "update", "delete"})
@RBACRule(apiGroups = "apiextensions.k8s.io", resources = {"customresourcedefinitions"}, verbs = {"get"},
        resourceNames = {Names.SERVICE_MONITOR_CRD})
@RBACRule(apiGroups = "", resources = {"nodes"}, verbs = {"get", "list", "watch"})
// Kubelet-plugin pods of any namespace and version: the plugin DaemonSet is created only once none is left (PluginHandover).
// Watched for the node-check condition of the plugin pods (status.nodes.preflight); get, and patch of pods/status,
// are what the plugin's Role grants in the driver namespace.
@RBACRule(apiGroups = "", resources = {"pods"}, verbs = {"get", "list", "watch"})
@RBACRule(apiGroups = "", resources = {"pods/status"}, verbs = {"patch"})
@RBACRule(apiGroups = "", resources = {"events"}, verbs = {"create", "patch"})
// Kubernetes lets a subject grant only permissions it holds: these are what the driver's own roles grant.
@RBACRule(apiGroups = "resource.k8s.io", resources = {"resourceslices"}, verbs = {"get", "list", "watch", "create", "update", "delete"})
@RBACRule(apiGroups = "resource.k8s.io", resources = {"resourceclaims"}, verbs = {"get", "list", "watch"})
// Leases: what the controller's Role grants in the driver namespace, known only at run time, so held cluster-wide (for
// the controller's Lease only, by name); the operator's own leader election uses a Role in its own namespace. fabric8's
// LeaderElector renews a Lease with PATCH (the real API server refused it without the verb).
@RBACRule(apiGroups = "coordination.k8s.io", resources = {"leases"}, verbs = {"get", "create", "update", "patch"})
public class NvidiaDraDriverReconciler implements Reconciler<NvidiaDraDriver>, Cleaner<NvidiaDraDriver> {

    public static final String NAME = "nvidiadradriver";
    private static final Logger LOG = Logger.getLogger(NvidiaDraDriverReconciler.class);

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final ResourceApplier applier;
    private final EventRecorder events;
    private final EventSources eventSources;
    private final PluginHandover handover;
    private final NamespaceMove namespaceMove;
    private final ClusterFactsCache clusterFacts;
    private final Clock clock;

    private final MeterRegistry registry;
    /** Created on first use: the reconciler bean also exists in the other roles, which must not export operator series. */
    private volatile OperatorMetrics metrics;

    @Inject
    public NvidiaDraDriverReconciler(KubernetesClient client, OperatorConfig config, MeterRegistry registry) {
        this(client, config, registry, Clock.systemUTC());
    }

    NvidiaDraDriverReconciler(KubernetesClient client, OperatorConfig config, MeterRegistry registry, Clock clock) {
        this.client = client;
        this.config = config;
        this.registry = registry;
        this.eventSources = new EventSources();
        this.applier = new ResourceApplier(client, eventSources);
        this.events = new EventRecorder(client);
        this.handover = new PluginHandover(client, applier, eventSources);
        this.namespaceMove = new NamespaceMove(client, applier, eventSources);
        this.clusterFacts = new ClusterFactsCache(() -> Preflight.discover(client), config::resync, clock);
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, NvidiaDraDriver>> prepareEventSources(EventSourceContext<NvidiaDraDriver> context) {
        return eventSources.prepare(context);
    }

    @Override
    public UpdateControl<NvidiaDraDriver> reconcile(NvidiaDraDriver driver, Context<NvidiaDraDriver> context) {
        NvidiaDraDriver active = ActiveDriver.of(context.getPrimaryCache().list().toList()).orElse(driver);
        if (!active.getMetadata().getName().equals(driver.getMetadata().getName())) {
            Report duplicate = new Report();
            duplicate.add(Reason.DUPLICATE, active.getMetadata().getName());
            return finish(driver, new StatusAggregator(driver, duplicate, clock).build(), config.duplicateRecheck());
        }
        Report report = new Report();
        List<String> invalid = SpecValidator.problems(driver.getSpec());
        if (!invalid.isEmpty()) {
            invalid.forEach(problem -> report.add(Reason.INVALID_SPEC, problem));
            return finish(driver, new StatusAggregator(driver, report, clock).build(), config.resync());
        }
        ClusterFacts facts = clusterFacts.current(driver.getMetadata().getUid() + "/" + driver.getMetadata().getGeneration());
        Preflight.check(facts).ifPresent(report::add);
        Preflight.Resolution version = facts.servedResourceVersions().isEmpty() ? null
                : Preflight.resolveResourceVersion(driver.getSpec().resourceApiVersion, facts.servedResourceVersions());
        if (version != null && version.problem() != null) {
            report.add(version.problem());
        }
        StatusAggregator status = new StatusAggregator(driver, report, clock).facts(facts);
        if (report.blocking()) {
            return finish(driver, status.build(), config.resync());
        }
        InstallContext ctx = new InstallContext(driver, ImageResolver.resolve(driver.getSpec().image, config.driverImage()),
                version.version(), facts.serviceMonitorAvailable(), client.getNamespace());
        eventSources.registerClusterScoped(context, ctx);
        PluginHandover.State handoverState = handover.begin(ctx, report);
        install(ctx, report, handoverState);
        String moving = namespaceMove.proceed(ctx, DesiredState.catalog(), report);
        handover.finish(handoverState, ctx, report);
        warnAboutFeatureGates(driver, report);
        DaemonSet ds = get(DaemonSet.class, ctx.namespace(), Names.KUBELET_PLUGIN);
        Deployment controller = get(Deployment.class, ctx.namespace(), Names.CONTROLLER);
        NodeCensus census = NodeCensus.of(eventSources.nodes(context), driver.getSpec().nodeSelector, driver.getSpec().conflictingNodeLabels);
        reportConflicts(driver, census, report);
        String waiting = Stream.of(handoverState.holdsBackDaemonSet() ? handoverState.message(ctx) : null, moving)
                .filter(Objects::nonNull).reduce((a, b) -> a + "; " + b).orElse(null);
        List<NvidiaDraDriverStatus.NodePreflight> preflights = NodePreflights.of(
                Objects.requireNonNullElse(eventSources.list(Pod.class), List.of()), ctx.namespace());
        status.observed(new StatusAggregator.Observed(ctx, ds, controller, census, preflights, waiting));
        boolean settled = Rollouts.ready(ds) && Rollouts.ready(controller) && !report.hasProblems() && moving == null;
        return finish(driver, status.build(), settled ? config.resync() : config.progressRecheck());
    }

    private void install(InstallContext ctx, Report report, PluginHandover.State handoverState) {
        ensureNamespace(ctx, report);
        for (ManagedObject object : DesiredState.catalog()) {
            boolean heldBack = handoverState.holdsBackDaemonSet() && object.typeFor(ctx) == DaemonSet.class;
            if (heldBack) {
                LOG.debugf("holding back %s: other kubelet plugin pods still exist", object.describe(ctx));
            } else if (object.wanted().test(ctx)) {
                ApplyOutcome outcome = applier.apply(object.build(ctx), ctx.owner());
                if (outcome.problem() != null) {
                    report.add(outcome.problem());
                }
            } else {
                deleteQuietly(object, ctx, ctx.namespace(), report);
            }
        }
    }

    private void ensureNamespace(InstallContext ctx, Report report) {
        try {
            if (!namespaceExists(ctx.namespace())) {
                client.resource(io.alauda.dra.operator.resources.DriverNamespace.desired(ctx)).create();
                LOG.infof("created Namespace %s", ctx.namespace());
            }
        } catch (KubernetesClientException e) {
            report.add(Reason.APPLY_FAILED, "create", "Namespace " + ctx.namespace(), ResourceApplier.statusMessage(e));
        }
    }

    private void deleteQuietly(ManagedObject object, InstallContext ctx, String namespace, Report report) {
        try {
            applier.deleteIfOwned(object.typeFor(ctx), object.namespaced() ? namespace : null, object.name(), ctx.owner());
        } catch (KubernetesClientException e) {
            report.add(Reason.APPLY_FAILED, "delete", object.describe(ctx), ResourceApplier.statusMessage(e));
        }
    }

    private void warnAboutFeatureGates(NvidiaDraDriver driver, Report report) {
        for (String gate : FeatureGates.notImplemented(driver.getSpec().featureGates)) {
            report.add(Reason.FEATURE_GATE_NOT_IMPLEMENTED, gate);
        }
    }

    private void reportConflicts(NvidiaDraDriver driver, NodeCensus census, Report report) {
        if (census.conflicting().isEmpty()) {
            return;
        }
        Problem conflict = Problem.of(Reason.NODE_LABEL_CONFLICT, census.conflicting().size(),
                String.join(", ", census.listedConflicting()) + (census.conflicting().size() > NodeCensus.MAX_LISTED ? ", ..." : ""));
        report.add(conflict);
        NvidiaDraDriverStatus old = driver.getStatus();
        List<String> before = old == null || old.nodes == null ? List.of() : old.nodes.conflictingNodes;
        if (!Objects.equals(before, census.listedConflicting())) {
            events.warning(driver, conflict);
        }
    }

    /**
     * Our ServiceAccounts in the watches' cache prove the namespace exists without asking; live otherwise (the first
     * install, or a namespace whose objects are gone).
     */
    private boolean namespaceExists(String namespace) {
        List<io.fabric8.kubernetes.api.model.ServiceAccount> cached = eventSources.list(io.fabric8.kubernetes.api.model.ServiceAccount.class);
        if (cached != null && cached.stream().anyMatch(a -> namespace.equals(a.getMetadata().getNamespace()))) {
            return true;
        }
        return client.namespaces().withName(namespace).get() != null;
    }

    /** From the watches' cache; live only for a type that has no watch. */
    private <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        try {
            return eventSources.get(type, namespace, name, client);
        } catch (KubernetesClientException e) {
            return null;
        }
    }

    /** Writes status only when it changed: a reconcile with nothing to do sends no write at all. */
    private UpdateControl<NvidiaDraDriver> finish(NvidiaDraDriver driver, NvidiaDraDriverStatus status, Duration recheck) {
        metrics().update(driver.getMetadata().getName(), status.conditions);
        UpdateControl<NvidiaDraDriver> control;
        if (StatusAggregator.sameStatus(driver.getStatus(), status)) {
            control = UpdateControl.noUpdate();
        } else {
            NvidiaDraDriver patch = new NvidiaDraDriver();
            patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                    .withName(driver.getMetadata().getName())
                    .withResourceVersion(driver.getMetadata().getResourceVersion())
                    .build());
            patch.setStatus(status);
            control = UpdateControl.patchStatus(patch);
        }
        return control.rescheduleAfter(recheck.toMillis());
    }

    @Override
    public ErrorStatusUpdateControl<NvidiaDraDriver> updateErrorStatus(NvidiaDraDriver driver, Context<NvidiaDraDriver> context, Exception e) {
        LOG.errorf(e, "reconcile of NvidiaDraDriver %s failed", driver.getMetadata().getName());
        Report report = new Report();
        report.add(Reason.RECONCILE_FAILED, e.getMessage());
        NvidiaDraDriverStatus status = new StatusAggregator(driver, report, clock).build();
        if (StatusAggregator.sameStatus(driver.getStatus(), status)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        driver.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(driver);
    }

    /**
     * Deletes everything this CR created: the DaemonSet first, and only once it is gone the rest, so that plugin
     * pods can still unprepare claims while they terminate. Objects that carry another owner are left alone. Objects
     * under the names of operators before the rename go the same way, should the CR be deleted before the new
     * operator has taken them over.
     */
    @Override
    public DeleteControl cleanup(NvidiaDraDriver driver, Context<NvidiaDraDriver> context) {
        String owner = driver.getMetadata().getName();
        if (!stillBeingDeleted(driver)) {
            return DeleteControl.noFinalizerRemoval();
        }
        List<String> namespaces = new ArrayList<>();
        namespaces.add(driver.getSpec().namespace);
        if (driver.getStatus() != null && driver.getStatus().namespace != null && !namespaces.contains(driver.getStatus().namespace)) {
            namespaces.add(driver.getStatus().namespace);
        }
        List<String> daemonSets = List.of(Names.KUBELET_PLUGIN, Names.Legacy.KUBELET_PLUGIN);
        for (String ns : namespaces) {
            daemonSets.forEach(daemonSet -> applier.deleteIfOwned(DaemonSet.class, ns, daemonSet, owner));
        }
        for (String ns : namespaces) {
            for (String daemonSet : daemonSets) {
                DaemonSet remaining = get(DaemonSet.class, ns, daemonSet);
                if (remaining != null && owner.equals(ResourceApplier.labels(remaining).get(Labels.OWNER))) {
                    LOG.infof("waiting for DaemonSet %s/%s to go before removing the rest", ns, daemonSet);
                    return DeleteControl.noFinalizerRemoval().rescheduleAfter(config.progressRecheck().toMillis());
                }
            }
        }
        deleteDriverSlices();
        List<ManagedObject> reverse = new ArrayList<>(DesiredState.catalog());
        java.util.Collections.reverse(reverse);
        for (ManagedObject object : reverse) {
            for (Class<? extends HasMetadata> type : typesToClean(object)) {
                if (object.namespaced()) {
                    namespaces.forEach(ns -> deleteIgnoringAbsence(type, ns, object.name(), owner));
                } else {
                    deleteIgnoringAbsence(type, null, object.name(), owner);
                }
            }
        }
        for (PluginHandover.LegacyObject object : PluginHandover.LEGACY_OBJECTS) {
            if (object.namespaced()) {
                namespaces.forEach(ns -> deleteIgnoringAbsence(object.type(), ns, object.name(), owner));
            } else {
                deleteIgnoringAbsence(object.type(), null, object.name(), owner);
            }
        }
        for (String ns : namespaces) {
            deleteIgnoringAbsence(Namespace.class, null, ns, owner);
        }
        metrics().remove(owner);
        LOG.infof("removed everything NvidiaDraDriver %s created", owner);
        return DeleteControl.defaultDelete();
    }

    /**
     * Managed objects are owned by the CR's name, so a cleanup run for a CR that is already gone must not run: after
     * {@code kubectl delete} and a quick re-create under the same name it would remove the new CR's install. JOSDK
     * 5.3.2 does run such stale cleanups: when the finalizer PATCH finds the object already deleted it fails with a
     * NullPointerException and retries the cleanup with the cached, deleted object.
     */
    private boolean stillBeingDeleted(NvidiaDraDriver driver) {
        NvidiaDraDriver current = client.resources(NvidiaDraDriver.class).withName(driver.getMetadata().getName()).get();
        String uid = driver.getMetadata().getUid();
        if (current == null) {
            LOG.debugf("NvidiaDraDriver %s (uid %s) is gone already: its cleanup is done", driver.getMetadata().getName(), uid);
            return false;
        }
        if (uid != null && !uid.equals(current.getMetadata().getUid())) {
            LOG.infof("NvidiaDraDriver %s was deleted and created again (uid %s, now %s): leaving the new one's objects alone",
                    driver.getMetadata().getName(), uid, current.getMetadata().getUid());
            return false;
        }
        return true;
    }

    /**
     * The plugins' ResourceSlices, once every plugin pod is gone (the DaemonSet's foreground deletion waited for
     * them): left behind, they would still offer the scheduler GPUs that no driver can prepare. Slices of other
     * drivers are not touched (the list selects spec.driver).
     */
    private void deleteDriverSlices() {
        var newest = ResourceApiVersion.newestOf(Preflight.discover(client).servedResourceVersions());
        if (newest.isEmpty()) {
            return;
        }
        var slices = client.genericKubernetesResources(newest.get().apiVersion(), "ResourceSlice");
        for (var slice : slices.withField("spec.driver", Names.DRIVER).list().getItems()) {
            try {
                slices.withName(slice.getMetadata().getName()).delete();
                LOG.infof("deleted ResourceSlice %s of node %s", slice.getMetadata().getName(),
                        ((Map<?, ?>) slice.getAdditionalProperties().getOrDefault("spec", Map.of())).get("nodeName"));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    /** DeviceClasses may have been written in any served version; delete through whichever this server serves. */
    private List<Class<? extends HasMetadata>> typesToClean(ManagedObject object) {
        if (object.name().equals(Names.GPU_DEVICE_CLASS) || object.name().equals(Names.MIG_DEVICE_CLASS)) {
            List<String> served = Preflight.discover(client).servedResourceVersions();
            if (served.isEmpty()) {
                return List.of();
            }
            return List.of(DesiredState.deviceClassType(new InstallContext(new NvidiaDraDriver(), "unused", served.get(0), false)));
        }
        return List.of(object.typeFor(null));
    }

    private void deleteIgnoringAbsence(Class<? extends HasMetadata> type, String namespace, String name, String owner) {
        try {
            applier.deleteIfOwned(type, namespace, name, owner);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private OperatorMetrics metrics() {
        OperatorMetrics m = metrics;
        if (m == null) {
            synchronized (this) {
                if (metrics == null) {
                    metrics = new OperatorMetrics(registry, BuildInfo.version());
                }
                m = metrics;
            }
        }
        return m;
    }
}
