package io.alauda.dra.controller;

import java.util.List;

/**
 * Which resource.k8s.io versions the API server serves. An interface because the mock API server used in tests does
 * not answer discovery; production uses {@link ApiServerResourceVersions}.
 */
@FunctionalInterface
public interface ServedResourceVersions {

    /** Served versions among v1, v1beta2 and v1beta1, in any order; empty when DRA is not served. */
    List<String> served();
}
