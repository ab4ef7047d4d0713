package io.alauda.dra.testing;

import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import io.quarkus.test.kubernetes.client.KubernetesServer;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the mock API server says about itself: its version (/version) and which resource.k8s.io versions it serves
 * (/apis/resource.k8s.io). The CRUD mock answers /version with 0.0 and knows no API groups, so tests set both here
 * and may change them mid-test. The state lives in system properties because the Quarkus test and the test
 * resource that serves the mock may see this class through different class loaders.
 */
public final class FakeCluster implements Consumer<KubernetesServer> {

    private static final String MINOR = "fake-cluster.minor";
    private static final String RESOURCE_VERSIONS = "fake-cluster.resource-versions";

    public static void reset() {
        kubernetesMinor("34");
        servedResourceVersions(List.of("v1", "v1beta2", "v1beta1"));
    }

    public static void kubernetesMinor(String value) {
        System.setProperty(MINOR, value);
    }

    public static void servedResourceVersions(List<String> versions) {
        System.setProperty(RESOURCE_VERSIONS, String.join(",", versions));
    }

    private static String minor() {
        return System.getProperty(MINOR, "34");
    }

    private static List<String> resourceVersions() {
        String value = System.getProperty(RESOURCE_VERSIONS, "v1,v1beta2,v1beta1");
        return value.isEmpty() ? List.of() : Arrays.asList(value.split(","));
    }

    @Override
    public void accept(KubernetesServer server) {
        // the mock's own /version expectation (0.0) would always answer first
        server.getKubernetesMockServer().clearExpectations();
        server.expect().get().withPath("/version").andReply(provider(r -> 200, r -> "{\"major\":\"1\",\"minor\":\"" + minor()
                + "\",\"gitVersion\":\"v1." + minor().replace("+", "") + ".2\",\"platform\":\"linux/amd64\"}")).always();
        // JOSDK checks before leader election that it may use Leases; the CRUD mock cannot review rules, so allow all.
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReply(provider(r -> 201,
                r -> "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\",\"metadata\":{},"
                        + "\"spec\":{\"namespace\":\"default\"},\"status\":{\"incomplete\":false,\"nonResourceRules\":[],"
                        + "\"resourceRules\":[{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]}]}}")).always();
        server.expect().get().withPath("/apis/resource.k8s.io")
                .andReply(provider(r -> resourceVersions().isEmpty() ? 404 : 200, r -> apiGroup())).always();
    }

    /** A mock response whose status and body are worked out per request; the mock asks for the status first. */
    public static ResponseProvider<Object> provider(Function<RecordedRequest, Integer> status, Function<RecordedRequest, Object> body) {
        return new ResponseProvider<>() {
            private Headers headers = Headers.builder().build();

            @Override
            public int getStatusCode(RecordedRequest request) {
                return status.apply(request);
            }

            @Override
            public Object getBody(RecordedRequest request) {
                return body.apply(request);
            }

            @Override
            public Headers getHeaders() {
                return headers;
            }

            @Override
            public void setHeaders(Headers headers) {
                this.headers = headers;
            }
        };
    }

    private static String apiGroup() {
        List<String> versions = resourceVersions();
        if (versions.isEmpty()) {
            return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}";
        }
        StringBuilder list = new StringBuilder();
        for (String v : versions) {
            if (list.length() > 0) {
                list.append(',');
            }
            list.append("{\"groupVersion\":\"resource.k8s.io/").append(v).append("\",\"version\":\"").append(v).append("\"}");
        }
        String preferred = versions.get(0);
        return "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\",\"name\":\"resource.k8s.io\",\"versions\":[" + list
                + "],\"preferredVersion\":{\"groupVersion\":\"resource.k8s.io/" + preferred + "\",\"version\":\"" + preferred + "\"}}";
    }
}
