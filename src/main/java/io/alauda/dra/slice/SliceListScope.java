package io.alauda.dra.slice;

/**
 * How the publisher narrows its list and watch to this node's slices of our driver. Either way it also checks
 * driver and node itself, so a server that ignores a field selector cannot make it touch other slices.
 */
public enum SliceListScope {
    /**
     * {@code fieldSelector=spec.driver=gpu.nvidia.com,spec.nodeName=<node>}: the API server sends only this node's
     * slices (supported for ResourceSlices since they exist). The default, and right for every real cluster.
     */
    FIELD_SELECTOR,
    /**
     * No field selector; all slices are read and filtered here. For API servers that mishandle these field
     * selectors: the fabric8 mock server answers them with an empty list, so tests against it use this.
     */
    CLIENT_SIDE
}
