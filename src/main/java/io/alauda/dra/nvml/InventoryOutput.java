package io.alauda.dra.nvml;

import io.alauda.dra.device.NodeInventory;

import java.io.PrintStream;

/**
 * One way the discover command prints what it found. The table, inventory JSON and ResourceSlice device list are
 * the ones there are; a CDI spec printer plugs in the same way ({@link DiscoverCommand#output}).
 */
@FunctionalInterface
public interface InventoryOutput {

    void write(NodeInventory inventory, PrintStream out);
}
