package io.alauda.dra.plugin.role;

import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.health.HealthMonitor;

import java.util.List;

/** Makes the device watchers for a node once its GPUs are discovered; asked only when device health is on. */
@FunctionalInterface
public interface HealthMonitorFactory {

    /** No watchers: the board stays all healthy unless something else writes on it. */
    HealthMonitorFactory NONE = (settings, inventory) -> List.of();

    List<HealthMonitor> monitors(PluginSettings settings, NodeInventory inventory);
}
