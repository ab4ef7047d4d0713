package io.alauda.dra.health;

/** Told the whole picture each time a device's problems change. Called on the thread that reported the change. */
@FunctionalInterface
public interface DeviceHealthListener {
    void healthChanged(HealthSnapshot snapshot);
}
