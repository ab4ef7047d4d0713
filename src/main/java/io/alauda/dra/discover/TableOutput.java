package io.alauda.dra.discover;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.device.Quantities;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The default discover output: one line of node facts, then one row per device this node would publish. */
public final class TableOutput implements InventoryOutput {

    private static final List<String> HEADER = List.of("NAME", "TYPE", "PRODUCT", "UUID", "PCI BUS ID", "MEMORY", "MIG PROFILE");

    @Override
    public void write(NodeInventory inventory, PrintStream out) {
        List<AllocatableDevice> devices = DeviceModel.devices(inventory);
        out.println("driver " + inventory.driverVersion() + ", CUDA " + cuda(inventory.cudaDriverVersion()) + ", "
                + count(inventory.gpus().size(), "GPU") + ", " + count(devices.size(), "device"));
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (AllocatableDevice device : devices) {
            Long memory = device.capacities().get("memory");
            rows.add(List.of(
                    device.name(),
                    device.type().value(),
                    device.gpu().productName(),
                    String.valueOf(device.attributes().get("uuid")),
                    device.gpu().pciBusId(),
                    memory == null ? "-" : Quantities.binarySI(memory),
                    device.mig() == null ? "-" : device.mig().profile().name()));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int column = 0; column < row.size(); column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.size(); column++) {
                String cell = row.get(column);
                line.append(cell);
                if (column + 1 < row.size()) {
                    line.append(" ".repeat(widths[column] - cell.length() + 2));
                }
            }
            out.println(line);
        }
    }

    private static String cuda(int version) {
        return version <= 0 ? "unknown" : version / 1000 + "." + (version % 1000) / 10;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
