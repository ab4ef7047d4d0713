package io.alauda.dra.plugin.prepare;

import java.util.Objects;

/**
 * GPU sharing on this node: which strategies the feature gates allow.
 *
 * @param gates the strategies the NvidiaDraDriver's feature gates allow
 */
public record SharingSupport(SharingGates gates) {

    /** No sharing: every claim that asks for it is refused, naming the gate to turn on. */
    public static final SharingSupport NONE = new SharingSupport(SharingGates.NONE);

    public SharingSupport {
        Objects.requireNonNull(gates, "gates");
    }
}
