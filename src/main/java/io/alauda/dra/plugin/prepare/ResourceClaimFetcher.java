package io.alauda.dra.plugin.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.alauda.dra.resourceapi.V1Shape;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Reads a ResourceClaim live from the API server (no cache: the allocation must be the current one), in the newest
 * {@code resource.k8s.io} version the server serves, as the upstream Go helper does.
 *
 * <p>A 404 means either "no such claim" or "no such API version", and an API server says which only sometimes (a
 * Status naming the claim). When it does not, the version's discovery document decides: served means the claim is
 * missing, not served means this version is gone and the next older one is tried. The version that answered is
 * remembered, so the fallback costs one extra round trip once, not on every call.
 */
public final class ResourceClaimFetcher implements ClaimSource {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(ResourceClaimFetcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String apiRoot;
    private final KubernetesSerialization serialization;
    private final List<ResourceApiVersion> versions;
    private final Duration timeout;
    private final AtomicInteger inUse = new AtomicInteger();

    /**
     * @param servedVersions the {@code resource.k8s.io} versions discovery found ({@code v1}, {@code v1beta2},
     *                       {@code v1beta1}, with or without the group); order does not matter, newest is tried first
     * @throws IllegalArgumentException when none of them is one this driver can read
     */
    public ResourceClaimFetcher(KubernetesClient client, List<String> servedVersions) {
        this(client, servedVersions, DEFAULT_TIMEOUT);
    }

    public ResourceClaimFetcher(KubernetesClient client, List<String> servedVersions, Duration timeout) {
        Objects.requireNonNull(client, "client");
        this.http = client.getHttpClient();
        String root = client.getMasterUrl().toString();
        this.apiRoot = root.endsWith("/") ? root : root + "/";
        this.serialization = client.getKubernetesSerialization();
        this.versions = known(servedVersions);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The version the next GET uses, e.g. {@code resource.k8s.io/v1}. */
    public String currentApiVersion() {
        int i = inUse.get();
        return i < versions.size() ? versions.get(i).apiVersion() : "none";
    }

    @Override
    public AllocatedClaim fetch(ResourceClaimRef ref) throws ClaimFailure {
        for (int i = inUse.get(); i < versions.size(); i++) {
            ResourceApiVersion api = versions.get(i);
            // namespace and name were validated as DNS names before (ClaimRefs)
            Answer answer = get("apis/" + api.apiVersion() + "/namespaces/" + ref.namespace() + "/resourceclaims/" + ref.name(),
                    ref);
            if (answer.code() == 200) {
                return checked(ref, api, convert(ref, api, answer.body()));
            }
            if (answer.code() != 404) {
                throw apiError(ref, api, answer);
            }
            if (!statusNamesClaim(answer.body(), ref.name())) {
                Answer discovery = get("apis/" + api.apiVersion(), ref);
                if (discovery.code() == 404) {
                    if (inUse.compareAndSet(i, i + 1)) {
                        LOG.infof("the API server does not serve %s; reading ResourceClaims in %s from now on",
                                api.apiVersion(), i + 1 < versions.size() ? versions.get(i + 1).apiVersion() : "no version");
                    }
                    continue;
                }
                if (discovery.code() != 200) {
                    throw apiError(ref, api, discovery);
                }
            }
            throw new ClaimFailure(ClaimErrorType.CLAIM_NOT_FOUND, "ResourceClaim " + ref.namespace() + "/" + ref.name()
                    + " was not found (" + api.apiVersion() + "): it was deleted after kubelet scheduled the pod. Kubelet"
                    + " retries until the pod is deleted; recreate the claim, or delete the pod so that it is created"
                    + " again with a new claim");
        }
        throw new ClaimFailure(ClaimErrorType.API_ERROR, "cannot read ResourceClaim " + ref.namespace() + "/" + ref.name()
                + ": the API server serves none of " + versions.stream().map(ResourceApiVersion::apiVersion)
                .collect(Collectors.joining(", ")) + "; enable the resource.k8s.io API (Kubernetes 1.32 or newer)");
    }

    private static AllocatedClaim checked(ResourceClaimRef ref, ResourceApiVersion api, AllocatedClaim claim) throws ClaimFailure {
        if (!claim.uid().equals(ref.uid())) {
            throw new ClaimFailure(ClaimErrorType.CLAIM_REPLACED, "ResourceClaim " + ref.namespace() + "/" + ref.name()
                    + " has UID " + Printable.of(claim.uid()) + ", but kubelet asked for UID " + ref.uid() + ": the claim"
                    + " was deleted and recreated under the same name. The pod still refers to the old claim; delete the"
                    + " pod so that it is created again with the new one");
        }
        if (!claim.allocated()) {
            throw new ClaimFailure(ClaimErrorType.CLAIM_NOT_ALLOCATED, "ResourceClaim " + ref.namespace() + "/"
                    + ref.name() + " is not allocated yet (status.allocation is empty in " + api.apiVersion() + "); kubelet"
                    + " retries. If this persists, the scheduler has not allocated devices to it: check the claim's status"
                    + " and the pod's scheduling events");
        }
        return claim;
    }

    private AllocatedClaim convert(ResourceClaimRef ref, ResourceApiVersion api, String body) throws ClaimFailure {
        try {
            return allocated(api, V1Shape.claim(serialization.unmarshal(body, api.claimClass())));
        } catch (RuntimeException e) {
            throw new ClaimFailure(ClaimErrorType.API_ERROR, "the API server's answer for ResourceClaim "
                    + ref.namespace() + "/" + ref.name() + " (" + api.apiVersion() + ") is not a readable ResourceClaim: "
                    + e.getMessage(), e);
        }
    }

    /** The fields preparing reads, from the claim brought to v1. */
    private AllocatedClaim allocated(ResourceApiVersion api, ResourceClaim claim) {
        var allocation = claim.getStatus() == null ? null : claim.getStatus().getAllocation();
        List<DeviceResult> results = new ArrayList<>();
        List<DeviceConfigEntry> configs = new ArrayList<>();
        if (allocation != null && allocation.getDevices() != null) {
            for (var r : nullSafe(allocation.getDevices().getResults())) {
                results.add(new DeviceResult(r.getRequest(), r.getDriver(), r.getPool(), r.getDevice(),
                        Boolean.TRUE.equals(r.getAdminAccess())));
            }
            for (var c : nullSafe(allocation.getDevices().getConfig())) {
                var opaque = c.getOpaque();
                // fabric8 hands parameters over as a generic object (map or GenericKubernetesResource); the decoder wants JSON
                configs.add(new DeviceConfigEntry(c.getSource(), c.getRequests(), opaque != null,
                        opaque == null ? null : opaque.getDriver(),
                        opaque == null || opaque.getParameters() == null ? null : serialization.asJson(opaque.getParameters())));
            }
        }
        ObjectMeta m = claim.getMetadata() == null ? new ObjectMeta() : claim.getMetadata();
        return new AllocatedClaim(m.getUid(), m.getNamespace(), m.getName(), api.apiVersion(), allocation != null, results, configs);
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    private record Answer(String path, int code, String body) {
    }

    private Answer get(String path, ResourceClaimRef ref) throws ClaimFailure {
        var request = http.newHttpRequestBuilder()
                .uri(apiRoot + path)
                .header("Accept", "application/json")
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        try {
            HttpResponse<String> response = http.sendAsync(request, String.class)
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return new Answer(path, response.code(), Objects.requireNonNullElse(response.body(), ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(ref, path, "interrupted", e);
        } catch (TimeoutException e) {
            throw unreachable(ref, path, "no answer within " + timeout.toSeconds() + "s", e);
        } catch (ExecutionException e) {
            throw unreachable(ref, path, String.valueOf(e.getCause()), e);
        }
    }

    private static ClaimFailure unreachable(ResourceClaimRef ref, String path, String why, Exception e) {
        return new ClaimFailure(ClaimErrorType.API_ERROR, "cannot read ResourceClaim " + ref.namespace() + "/"
                + ref.name() + ": GET /" + path + " failed (" + why + "); kubelet retries. If this persists, check that"
                + " the node can reach the API server", e);
    }

    private static ClaimFailure apiError(ResourceClaimRef ref, ResourceApiVersion api, Answer answer) {
        String hint = switch (answer.code()) {
            case 401, 403 -> "; the kubelet plugin's ServiceAccount needs 'get' on resourceclaims." + ResourceApiVersion.GROUP
                    + " (check its ClusterRole)";
            case 429, 500, 502, 503, 504 -> "; the API server is overloaded or restarting, kubelet retries";
            default -> "";
        };
        return new ClaimFailure(ClaimErrorType.API_ERROR, "cannot read ResourceClaim " + ref.namespace() + "/"
                + ref.name() + " (" + api.apiVersion() + "): GET /" + answer.path() + " answered " + answer.code()
                + statusMessage(answer.body()).map(m -> " (" + m + ")").orElse("") + hint);
    }

    /** True when the 404 is a Status about this very object, which only a served API version sends. */
    private static boolean statusNamesClaim(String body, String name) {
        JsonNode status = parse(body);
        return status != null && "Status".equals(status.path("kind").asText())
                && name.equals(status.path("details").path("name").asText());
    }

    private static java.util.Optional<String> statusMessage(String body) {
        JsonNode status = parse(body);
        if (status == null || status.path("message").asText().isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Printable.of(status.path("message").asText()));
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static List<ResourceApiVersion> known(List<String> served) {
        List<ResourceApiVersion> versions = ResourceApiVersion.servedAmong(served);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("served resource.k8s.io versions " + served + " include none this plugin"
                    + " reads (" + String.join(", ", ResourceApiVersion.ids()) + "); DRA needs Kubernetes 1.32 or newer with the resource.k8s.io API enabled");
        }
        return List.copyOf(versions);
    }
}
