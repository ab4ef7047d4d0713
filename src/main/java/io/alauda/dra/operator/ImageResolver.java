package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.ImageSpec;

/** The driver image a CR asks for, falling back to the operator's own image (one image serves every role). */
final class ImageResolver {

    private ImageResolver() {
    }

    static String resolve(ImageSpec spec, String defaultImage) {
        if (spec == null || spec.repository == null || spec.repository.isEmpty()) {
            return defaultImage;
        }
        String tag = spec.tag == null || spec.tag.isEmpty() ? tagOf(defaultImage) : spec.tag;
        if (tag == null) {
            return spec.repository;
        }
        return spec.repository + (tag.startsWith("sha256:") ? "@" : ":") + tag;
    }

    /** The tag (or digest) part of an image reference; null when it has none. */
    static String tagOf(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return image.substring(at + 1);
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : null;
    }
}
