package io.alauda.dra.nvml;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Sizes and field offsets of the nvml.h structs {@link JnaNvml} reads, and their decoding from raw bytes. Offsets
 * follow C layout on LP64 (x86_64, aarch64): unsigned int 4 bytes, unsigned long long 8 bytes aligned to 8, pointers 8.
 */
final class NvmlStructLayout {

    /** NVML_DEVICE_NAME_V2_BUFFER_SIZE; also large enough for NVML_DEVICE_UUID_V2_BUFFER_SIZE (96). */
    static final int NAME_BUFFER = 96;
    static final int UUID_BUFFER = 96;
    /** NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE. */
    static final int DRIVER_VERSION_BUFFER = 80;

    /**
     * nvmlPciInfo_t (v3): char busIdLegacy[16] @0; unsigned int domain @16, bus @20, device @24, pciDeviceId @28,
     * pciSubSystemId @32; char busId[32] @36; 68 bytes.
     */
    static final int PCI_INFO_SIZE = 68;

    /** nvmlMemory_t: unsigned long long total @0, free @8, used @16. */
    static final int MEMORY_SIZE = 24;

    /**
     * nvmlGpuInstanceProfileInfo_t: ten unsigned ints (id, isP2pSupported, sliceCount, instanceCount,
     * multiprocessorCount, copyEngineCount, decoderCount, encoderCount, jpegCount, ofaCount) @0..36, then unsigned long
     * long memorySizeMB @40; 48 bytes.
     */
    static final int GPU_INSTANCE_PROFILE_INFO_SIZE = 48;

    /**
     * nvmlDeviceAttributes_t: eight unsigned ints (multiprocessorCount, sharedCopyEngineCount, sharedDecoderCount,
     * sharedEncoderCount, sharedJpegCount, sharedOfaCount, gpuInstanceSliceCount, computeInstanceSliceCount) @0..28,
     * unsigned long long memorySizeMB @32; 40 bytes.
     */
    static final int DEVICE_ATTRIBUTES_SIZE = 40;

    /**
     * nvmlEventData_t: nvmlDevice_t device @0 (a pointer), unsigned long long eventType @8 and eventData @16, unsigned
     * int gpuInstanceId @24 and computeInstanceId @28; 32 bytes on LP64.
     */
    static final int EVENT_DATA_SIZE = 32;

    /** The fields of nvmlEventData_t, the device still a native handle. */
    record EventData(long device, long type, long data, int gpuInstanceId, int computeInstanceId) {
    }

    private NvmlStructLayout() {
    }

    /**
     * nvmlGpuInstanceInfo_t: nvmlDevice_t device @0, unsigned int id @p, profileId @p+4, then
     * nvmlGpuInstancePlacement_t {start, size} @p+8 and @p+12, where p is the pointer size; padded to pointer alignment.
     */
    static int gpuInstanceInfoSize(int pointerSize) {
        int size = pointerSize + 16;
        return (size + pointerSize - 1) / pointerSize * pointerSize;
    }

    static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    static PciInfo pciInfo(ByteBuffer b) {
        byte[] bytes = new byte[PCI_INFO_SIZE];
        b.get(0, bytes);
        return new PciInfo(cString(bytes, 36, 32), b.getInt(16), b.getInt(20), b.getInt(24), b.getInt(28));
    }

    static MemoryInfo memory(ByteBuffer b) {
        return new MemoryInfo(b.getLong(0), b.getLong(8), b.getLong(16));
    }

    static GpuInstanceProfileInfo gpuInstanceProfileInfo(ByteBuffer b) {
        return new GpuInstanceProfileInfo(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16), b.getInt(20),
                b.getInt(24), b.getInt(28), b.getInt(32), b.getInt(36), b.getLong(40));
    }

    static MigDeviceAttributes deviceAttributes(ByteBuffer b) {
        return new MigDeviceAttributes(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16), b.getInt(20),
                b.getInt(24), b.getInt(28), b.getLong(32));
    }

    static GpuInstanceInfo gpuInstanceInfo(ByteBuffer b, int pointerSize) {
        int p = pointerSize;
        return new GpuInstanceInfo(b.getInt(p), b.getInt(p + 4), b.getInt(p + 8), b.getInt(p + 12));
    }

    static EventData eventData(ByteBuffer b) {
        return new EventData(b.getLong(0), b.getLong(8), b.getLong(16), b.getInt(24), b.getInt(28));
    }
}
