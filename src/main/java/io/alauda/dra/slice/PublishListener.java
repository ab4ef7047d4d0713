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
}
