package io.alauda.dra.discover;

import io.alauda.dra.cdi.CdiException;
import io.alauda.dra.cdi.ClaimSpecBuilder;
import io.alauda.dra.cdi.DriverFileDiscovery;
import io.alauda.dra.cdi.Spec;
import io.alauda.dra.cdi.SpecJson;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.nvml.DiscoveryException;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code --cdi}: the CDI spec the kubelet plugin would write for one claim holding every device this node publishes,
 * byte for byte as the plugin writes it, built from the driver files under the driver root. With
 * {@code --check-paths} it then checks that every host path in it exists ({@link HostPathCheck}).
 */
public final class CdiSpecOutput implements InventoryOutput {

    /**
     * Stands in for the claim's UID, which only the API server assigns. A valid UID (so the spec is exactly what the
     * plugin would write), and one no real claim has, so the printed device names cannot be mistaken for a claim's.
     */
    public static final String PLACEHOLDER_CLAIM_UID = "00000000-0000-0000-0000-000000000000";

    private final DriverFileDiscovery discovery;
    private final String hookPath;
    private final boolean checkPaths;
    private final PrintStream err;

    /**
     * @param hookPath   host path of {@code nvidia-cdi-hook}; null for a spec without hooks, as the plugin then writes
     * @param checkPaths whether to check the host paths after printing; the result goes to {@code err}
     */
    public CdiSpecOutput(DriverFileDiscovery discovery, String hookPath, boolean checkPaths, PrintStream err) {
        this.discovery = discovery;
        this.hookPath = hookPath;
        this.checkPaths = checkPaths;
        this.err = err;
    }

    /**
     * @throws DiscoveryException        when the spec cannot be built (no devices, no {@code /dev/nvidiactl}, no
     *                                   {@code libcuda.so.<version>} under the driver root, a bad hook path)
     * @throws MissingHostPathsException when checking and a host path is missing; the spec has been printed
     */
    @Override
    public void write(NodeInventory inventory, PrintStream out) {
        Spec spec = build(inventory);
        out.print(SpecJson.toJson(spec));
        out.flush();
        if (!checkPaths) {
            return;
        }
        List<HostPathCheck.HostPath> all = HostPathCheck.hostPaths(spec);
        List<HostPathCheck.HostPath> missing = new HostPathCheck(discovery.roots()).missing(spec);
        if (!missing.isEmpty()) {
            throw new MissingHostPathsException(missing, all.size());
        }
        err.println("all " + all.size() + " host paths in the CDI spec exist");
    }

    Spec build(NodeInventory inventory) {
        ClaimSpecBuilder builder;
        try {
            builder = new ClaimSpecBuilder(discovery, inventory.driverVersion(), hookPath);
        } catch (IllegalArgumentException e) {
            throw new DiscoveryException(e.getMessage() + " (--cdi-hook-path)", e);
        }
        try {
            return builder.build(PLACEHOLDER_CLAIM_UID, DeviceModel.devices(inventory));
        } catch (CdiException e) {
            throw new DiscoveryException("cannot build the CDI spec: " + e.getMessage(), e);
        }
    }

    /** {@code --check-paths} found host paths that do not exist; the message lists each with what needs it. */
    public static final class MissingHostPathsException extends DiscoveryException {

        private final List<HostPathCheck.HostPath> missing;

        MissingHostPathsException(List<HostPathCheck.HostPath> missing, int checked) {
            super(message(missing, checked));
            this.missing = List.copyOf(missing);
        }

        /** The missing host paths, in spec order. */
        public List<String> paths() {
            return missing.stream().map(HostPathCheck.HostPath::path).toList();
        }

        private static String message(List<HostPathCheck.HostPath> missing, int checked) {
            StringBuilder message = new StringBuilder().append(missing.size()).append(" of ").append(checked)
                    .append(" host paths in the CDI spec do not exist:");
            for (HostPathCheck.HostPath path : missing) {
                message.append(System.lineSeparator()).append("  ").append(path.path())
                        .append(" (").append(path.usedBy()).append(')');
            }
            return message.toString();
        }
    }
}
