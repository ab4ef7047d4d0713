package io.alauda.dra.slice;

/**
 * Told about every sync, on the publisher's own thread: keep it quick. Where metrics and logs attach.
 */
public interface PublishListener {

    PublishListener NONE = new PublishListener() {
    };

    default void published(PublishOutcome outcome) {
    }

    default void failed(PublishFailure failure) {
    }

    /**
     * After a sync that wrote device taints: whether the API server kept them. False means it serves no device taints
     * (DRADeviceTaints off): unhealthy devices stay allocatable.
     */
    default void deviceTaints(boolean kept) {
    }
}
