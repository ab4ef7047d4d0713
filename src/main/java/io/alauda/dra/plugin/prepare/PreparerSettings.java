package io.alauda.dra.plugin.prepare;

import io.alauda.dra.cdi.ClaimSpecBuilder;
import io.alauda.dra.cdi.ClaimSpecStore;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.plugin.checkpoint.BootIdSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the preparer works with on this node.
 *
 * @param nodeName       this node; allocation results of other pools are not ours
 * @param devices        the node's published devices ({@code DeviceModel.devices(inventory)})
 * @param specBuilder    builds a claim's CDI spec from its devices
 * @param specStore      the CDI directory claim specs are written to
 * @param checkpointFile {@code KubeletPluginPaths.checkpointFile()}
 * @param bootIds        {@code BootIdSource.proc()} in production
 * @param withheld       why the node publishes no devices although it has GPUs (its node checks failed), for the
 *                       error of claims allocated before; null when it publishes them
 */
public record PreparerSettings(String nodeName, List<AllocatableDevice> devices, ClaimSpecBuilder specBuilder,
                               ClaimSpecStore specStore, Path checkpointFile, BootIdSource bootIds, String withheld) {

    public PreparerSettings(String nodeName, List<AllocatableDevice> devices, ClaimSpecBuilder specBuilder,
                            ClaimSpecStore specStore, Path checkpointFile, BootIdSource bootIds) {
        this(nodeName, devices, specBuilder, specStore, checkpointFile, bootIds, null);
    }

    public PreparerSettings {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("nodeName is empty; the pool of this node's devices is named after it");
        }
        devices = List.copyOf(Objects.requireNonNull(devices, "devices"));
        Objects.requireNonNull(specBuilder, "specBuilder");
        Objects.requireNonNull(specStore, "specStore");
        Objects.requireNonNull(checkpointFile, "checkpointFile");
        Objects.requireNonNull(bootIds, "bootIds");
    }
}
