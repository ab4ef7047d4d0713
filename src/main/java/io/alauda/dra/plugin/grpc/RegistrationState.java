package io.alauda.dra.plugin.grpc;

import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** The plugin's registration with kubelet, as kubelet last reported it. Thread-safe. */
public final class RegistrationState {

    private static final Logger LOG = Logger.getLogger(RegistrationState.class);

    private final Clock clock;
    private final AtomicReference<RegistrationOutcome> last = new AtomicReference<>();
    private final List<RegistrationListener> listeners = new CopyOnWriteArrayList<>();

    public RegistrationState() {
        this(Clock.systemUTC());
    }

    public RegistrationState(Clock clock) {
        this.clock = clock;
    }

    public void addListener(RegistrationListener listener) {
        listeners.add(listener);
    }

    /** True once kubelet has accepted the plugin, until it reports a refusal. */
    public boolean isRegistered() {
        RegistrationOutcome outcome = last.get();
        return outcome != null && outcome.registered();
    }

    public Optional<RegistrationOutcome> lastOutcome() {
        return Optional.ofNullable(last.get());
    }

    /** Kubelet's error text from its last refusal; empty if the last notification was an acceptance or none came. */
    public String lastError() {
        RegistrationOutcome outcome = last.get();
        return outcome == null ? "" : outcome.error();
    }

    RegistrationOutcome record(boolean registered, String error) {
        RegistrationOutcome outcome = new RegistrationOutcome(registered, error, clock.instant());
        last.set(outcome);
        for (RegistrationListener listener : listeners) {
            try {
                listener.onRegistrationStatus(outcome);
            } catch (RuntimeException e) {
                // A broken metrics/event hook must not change what kubelet is told.
                LOG.warnf(e, "registration listener %s failed", listener);
            }
        }
        return outcome;
    }
}
