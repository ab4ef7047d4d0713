package io.alauda.dra.discover;

import io.alauda.dra.device.NodeInventory;

import java.io.PrintStream;

/**
 * One way the discover command prints what it found: the table, the inventory JSON, the ResourceSlice device list or
 * the CDI spec ({@link DiscoverCommand#output} picks one from the flags).
 */
@FunctionalInterface
public interface InventoryOutput {

    void write(NodeInventory inventory, PrintStream out);
}
