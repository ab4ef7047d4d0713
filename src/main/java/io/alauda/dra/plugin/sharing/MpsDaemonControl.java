package io.alauda.dra.plugin.sharing;

import java.util.Set;

/**
 * Starts and stops MPS control daemons. In production each is a Deployment pinned to this node
 * ({@link KubernetesMpsDaemons}), as upstream runs them, so that a daemon outlives restarts of the plugin; tests use
 * a fake. Every call is idempotent: starting a running daemon or stopping a gone one succeeds.
 */
public interface MpsDaemonControl {

    void start(MpsDaemonSpec spec) throws MpsException;

    /** Whether the daemon answers: its startup (daemon up, limits set) has finished. */
    boolean isReady(String id) throws MpsException;

    void stop(String id) throws MpsException;

    /** IDs of the daemons that run for this node, to stop those no claim records after a crash. */
    Set<String> daemonsOnNode() throws MpsException;

    /** Where to look when a daemon does not come up, for the claim error (e.g. the kubectl command). */
    String describe(String id);

    /** Why no daemon can be started on this node, or empty when daemons can be started. */
    default java.util.Optional<String> unavailable() {
        return java.util.Optional.empty();
    }

    MpsDaemonControl NONE = new MpsDaemonControl() {
        @Override
        public void start(MpsDaemonSpec spec) throws MpsException {
            throw new MpsException("MPS control daemons cannot be started on this node: the plugin knows no image or"
                    + " namespace for them (IMAGE_NAME and NAMESPACE in its environment, which the operator sets when"
                    + " spec.featureGates.MPSSupport is true)");
        }

        @Override
        public boolean isReady(String id) {
            return false;
        }

        @Override
        public void stop(String id) {
            // Nothing was started.
        }

        @Override
        public Set<String> daemonsOnNode() {
            return Set.of();
        }

        @Override
        public String describe(String id) {
            return "no MPS daemon runner";
        }

        @Override
        public java.util.Optional<String> unavailable() {
            return java.util.Optional.of("the plugin knows no image or namespace for MPS control daemons (IMAGE_NAME and"
                    + " NAMESPACE in its environment, which the operator sets when spec.featureGates.MPSSupport is"
                    + " true)");
        }
    };
}
