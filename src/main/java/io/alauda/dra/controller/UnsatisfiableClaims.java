package io.alauda.dra.controller;

import io.alauda.dra.doctor.Cause;
import io.alauda.dra.doctor.ClaimDoctor;
import io.alauda.dra.doctor.ClaimReport;
import io.alauda.dra.doctor.Inventory;
import io.alauda.dra.doctor.RequestVerdict;
import io.alauda.dra.doctor.kube.InputException;
import io.alauda.dra.doctor.kube.KubeObjects;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Says on the claim why a pending claim cannot be allocated. A claim of our DeviceClasses that has waited longer than
 * {@code after} is explained by the claim doctor against the published slices; if the doctor finds it cannot be
 * allocated, a Warning Event {@value ControllerEvents#UNSATISFIABLE} with the explanation goes on the claim (so
 * {@code kubectl describe resourceclaim} shows it) and on the pod that owns it (claims made from a template). A new
 * event is written only when the explanation changes, so a claim pending for a day has one event, not thousands.
 * A claim the doctor finds allocatable gets nothing: it waits for a pod, or for the scheduler's next try.
 *
 * <p>Runs on the leader only, one pass at a time. A claim is looked at again no sooner than {@code recheck} after its
 * last look, and at most {@code perPass} claims are explained in a pass, those not looked at for longest first, so
 * that a thousand claims stuck for good cost a bounded number of reads and each still gets its turn.
 */
final class UnsatisfiableClaims {

    private static final Logger LOG = Logger.getLogger(UnsatisfiableClaims.class);

    private final KubernetesClient client;
    private final ResourceApiVersion api;
    private final ClusterState state;
    private final DoctorInventory inventory;
    private final ControllerEvents events;
    private final ControllerMetrics metrics;
    private final Clock clock;
    private final ControllerSettings.ExplainSettings settings;
    /** namespace/name → when this controller first saw the claim pending. */
    private final Map<String, Instant> pendingSince = new HashMap<>();
    /** namespace/name → when the claim was last looked at. */
    private final Map<String, Instant> lastLook = new HashMap<>();
    /** namespace/name → the claim's UID and the explanation last written for it. */
    private final Map<String, String> explained = new HashMap<>();
    private final Map<String, Cause> causes = new HashMap<>();

    UnsatisfiableClaims(KubernetesClient client, ResourceApiVersion api, ClusterState state, ControllerEvents events,
                        ControllerMetrics metrics, Clock clock, ControllerSettings.ExplainSettings settings, boolean sliceFieldSelector) {
        this.client = client;
        this.api = api;
        this.state = state;
        this.inventory = new DoctorInventory(client, api, state, sliceFieldSelector);
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = settings;
    }

    synchronized void pass() {
        Instant now = clock.instant();
        Set<String> pending = state.claims().stream().filter(c -> !c.allocated())
                .map(c -> key(c.namespace(), c.name())).collect(Collectors.toSet());
        pendingSince.keySet().retainAll(pending);
        lastLook.keySet().retainAll(pending);
        explained.keySet().retainAll(pending);
        causes.keySet().retainAll(pending);
        pending.forEach(k -> pendingSince.putIfAbsent(k, now));
        List<String> due = pendingSince.entrySet().stream()
                .filter(e -> !e.getValue().plus(settings.after()).isAfter(now))
                .filter(e -> !lastLook.getOrDefault(e.getKey(), Instant.MIN).plus(settings.recheck()).isAfter(now))
                .map(Map.Entry::getKey)
                .sorted(Comparator.comparing(key -> lastLook.getOrDefault(key, Instant.MIN)))
                .limit(settings.perPass()).toList();
        if (!due.isEmpty()) {
            due.forEach(key -> lastLook.put(key, now));
            explain(due);
        } else if (pendingSince.values().stream().allMatch(since -> since.plus(settings.after()).isAfter(now))) {
            inventory.forget();
        }
        metrics.unsatisfiableClaims(counts());
    }

    /** Forgets everything (leadership lost): the next leader starts the clocks again. */
    synchronized void reset() {
        pendingSince.clear();
        lastLook.clear();
        explained.clear();
        causes.clear();
        inventory.forget();
        metrics.unsatisfiableClaims(Map.of());
    }

    private void explain(List<String> due) {
        ClaimDoctor doctor;
        try {
            Inventory inv = inventory.load();
            doctor = new ClaimDoctor(inv);
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot read ResourceSlices or DeviceClasses to explain %d pending claims: %s", due.size(), e.getMessage());
            return;
        }
        for (String key : due) {
            int slash = key.indexOf('/');
            String namespace = key.substring(0, slash);
            String name = key.substring(slash + 1);
            try {
                HasMetadata claim = client.resources(api.claimClass()).inNamespace(namespace).withName(name).get();
                if (claim == null) {
                    continue; // deleted since the informer saw it
                }
                Map<String, Object> tree = KubeObjects.tree(claim);
                if (KubeObjects.map(tree.get("status")).get("allocation") != null) {
                    continue; // allocated since the informer saw it
                }
                ClaimReport report = doctor.explain(KubeObjects.claim(tree));
                if (report.satisfiable()) {
                    causes.remove(key);
                    explained.remove(key);
                    continue;
                }
                causes.put(key, report.cause());
                String message = message(report, namespace, name);
                String stamp = claim.getMetadata().getUid() + "\n" + message;
                if (!stamp.equals(explained.get(key))) {
                    explained.put(key, stamp);
                    for (ObjectReference target : targets(claim)) {
                        events.unsatisfiable(target, message);
                    }
                }
            } catch (InputException e) {
                LOG.debugf("cannot explain ResourceClaim %s: %s", key, e.getMessage());
            } catch (KubernetesClientException e) {
                LOG.warnf("cannot read ResourceClaim %s to explain it: %s", key, e.getMessage());
            }
        }
    }

    /** The claim, and the pod that owns it when the claim was made from the pod's template. */
    private List<ObjectReference> targets(HasMetadata claim) {
        List<ObjectReference> targets = new ArrayList<>();
        targets.add(new ObjectReferenceBuilder().withApiVersion(api.apiVersion()).withKind("ResourceClaim")
                .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid()).build());
        for (OwnerReference owner : claim.getMetadata().getOwnerReferences()) {
            if ("Pod".equals(owner.getKind()) && "v1".equals(owner.getApiVersion())) {
                targets.add(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
                        .withNamespace(claim.getMetadata().getNamespace()).withName(owner.getName()).withUid(owner.getUid()).build());
            }
        }
        return targets;
    }

    /** The verdict, the near misses of the requests that cannot be met, claim-level problems, and where to read more. */
    static String message(ClaimReport report, String namespace, String name) {
        StringBuilder text = new StringBuilder("ResourceClaim ").append(namespace).append('/').append(name).append(' ')
                .append(report.verdict());
        for (RequestVerdict request : report.requests()) {
            if (!request.satisfiable()) {
                request.nearMisses().forEach(line -> sentence(text, line));
            }
        }
        report.problems().forEach(problem -> sentence(text, problem));
        return sentence(text, "Per device: explain " + namespace + "/" + name).toString();
    }

    /** Ends the text so far as a sentence (a near miss may already end with "?") and appends the next one. */
    private static StringBuilder sentence(StringBuilder text, String next) {
        char last = text.charAt(text.length() - 1);
        return text.append(last == '.' || last == '?' || last == '!' ? " " : ". ").append(next);
    }

    private Map<Cause, Integer> counts() {
        Map<Cause, Integer> counts = new EnumMap<>(Cause.class);
        causes.values().forEach(c -> counts.merge(c, 1, Integer::sum));
        return counts;
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
