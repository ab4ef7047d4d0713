package io.alauda.dra.nvml;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bytes laid out by hand as a C compiler on x86_64 lays out the nvml.h structs, decoded back. */
class NvmlStructLayoutTest {

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void pciInfoV3() {
        ByteBuffer b = buffer(68);
        b.put(0, "0000:65:00.0".getBytes(StandardCharsets.US_ASCII));
        b.putInt(16, 0);
        b.putInt(20, 0x65);
        b.putInt(24, 0);
        b.putInt(28, 0x233010de);
        b.putInt(32, 0x16c110de);
        b.put(36, "00000000:65:00.0".getBytes(StandardCharsets.US_ASCII));

        assertEquals(new PciInfo("00000000:65:00.0", 0, 0x65, 0, 0x233010de), NvmlStructLayout.pciInfo(b));
        assertEquals(68, NvmlStructLayout.PCI_INFO_SIZE);
    }

    @Test
    void memory() {
        ByteBuffer b = buffer(24);
        b.putLong(0, 85520809984L);
        b.putLong(8, 85018411008L);
        b.putLong(16, 502398976L);

        assertEquals(new MemoryInfo(85520809984L, 85018411008L, 502398976L), NvmlStructLayout.memory(b));
    }

    @Test
    void gpuInstanceProfileInfoHasMemoryAfterTenInts() {
        ByteBuffer b = buffer(48);
        int[] ints = {19, 0, 1, 7, 14, 1, 0, 0, 0, 0};
        for (int i = 0; i < ints.length; i++) {
            b.putInt(i * 4, ints[i]);
        }
        b.putLong(40, 4864);

        assertEquals(new GpuInstanceProfileInfo(19, 0, 1, 7, 14, 1, 0, 0, 0, 0, 4864), NvmlStructLayout.gpuInstanceProfileInfo(b));
    }

    @Test
    void deviceAttributesHaveMemoryAfterEightInts() {
        ByteBuffer b = buffer(40);
        int[] ints = {42, 3, 2, 0, 0, 0, 3, 3};
        for (int i = 0; i < ints.length; i++) {
            b.putInt(i * 4, ints[i]);
        }
        b.putLong(32, 19968);

        assertEquals(new MigDeviceAttributes(42, 3, 2, 0, 0, 0, 3, 3, 19968), NvmlStructLayout.deviceAttributes(b));
    }

    @Test
    void gpuInstanceInfoStartsWithTheDevicePointer() {
        ByteBuffer b = buffer(24);
        b.putLong(0, 0x7f00deadbeefL);
        b.putInt(8, 2);
        b.putInt(12, 9);
        b.putInt(16, 4);
        b.putInt(20, 4);

        assertEquals(new GpuInstanceInfo(2, 9, 4, 4), NvmlStructLayout.gpuInstanceInfo(b, 8));
        assertEquals(24, NvmlStructLayout.gpuInstanceInfoSize(8));
        assertEquals(20, NvmlStructLayout.gpuInstanceInfoSize(4));
    }

    @Test
    void cStringStopsAtTheFirstNul() {
        byte[] bytes = "NVIDIA H100 80GB HBM3\0garbage".getBytes(StandardCharsets.US_ASCII);
        assertEquals("NVIDIA H100 80GB HBM3", NvmlStructLayout.cString(bytes, 0, bytes.length));
        assertEquals("H100", NvmlStructLayout.cString(bytes, 7, 4));
    }

    @Test
    void eventDataHasThePointerFirstAndTheInstanceIdsLast() {
        ByteBuffer b = buffer(32);
        b.putLong(0, 0x7f00_1234_5678L);
        b.putLong(8, 0x8L);
        b.putLong(16, 79L);
        b.putInt(24, 3);
        b.putInt(28, 0xFFFFFFFF);

        assertEquals(new NvmlStructLayout.EventData(0x7f00_1234_5678L, 0x8L, 79L, 3, NvmlEvent.NO_INSTANCE),
                NvmlStructLayout.eventData(b));
        assertEquals(32, NvmlStructLayout.EVENT_DATA_SIZE);
    }
}
