package io.alauda.dra.nvml.replay;

import io.alauda.dra.files.JsonFiles;
import io.alauda.dra.nvml.ComputeCapability;
import io.alauda.dra.nvml.GpuInstanceInfo;
import io.alauda.dra.nvml.GpuInstanceProfileInfo;
import io.alauda.dra.nvml.MemoryInfo;
import io.alauda.dra.nvml.MigDeviceAttributes;
import io.alauda.dra.nvml.MigMode;
import io.alauda.dra.nvml.PciInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts NVML answers to and from their recorded JSON form. Field names are those of the C structs; unsigned C
 * integers are written unsigned (NVML_DEVICE_ARCH_UNKNOWN reads 4294967295, as in nvml.h).
 */
final class RecordedAnswers {

    private RecordedAnswers() {
    }

    /** Thrown for a recorded value of the wrong shape; the caller adds which recording and call. */
    static final class BadAnswer extends RuntimeException {
        BadAnswer(String message) {
            super(message);
        }
    }

    static Long unsigned(int value) {
        return Integer.toUnsignedLong(value);
    }

    static Long signed(int value) {
        return (long) value;
    }

    static int toInt(Object value, String what) {
        if (!(value instanceof Long l) || l < Integer.MIN_VALUE || l > 0xffffffffL) {
            throw new BadAnswer(what + " must be a whole number that fits 32 bits, not " + JsonFiles.inline(value));
        }
        return (int) l.longValue();
    }

    static long toLong(Object value, String what) {
        if (!(value instanceof Long l) || l < 0) {
            throw new BadAnswer(what + " must be a whole number of at least 0, not " + JsonFiles.inline(value));
        }
        return l;
    }

    static String toText(Object value, String what) {
        if (!(value instanceof String s)) {
            throw new BadAnswer(what + " must be a string, not " + JsonFiles.inline(value));
        }
        return s;
    }

    static Map<?, ?> toObject(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new BadAnswer(what + " must be an object, not " + JsonFiles.inline(value));
        }
        return map;
    }

    private static int field(Map<?, ?> map, String name) {
        return toInt(map.get(name), "field \"" + name + "\"");
    }

    private static long longField(Map<?, ?> map, String name) {
        return toLong(map.get(name), "field \"" + name + "\"");
    }

    static Map<String, Object> encode(ComputeCapability cc) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("major", signed(cc.major()));
        map.put("minor", signed(cc.minor()));
        return map;
    }

    static ComputeCapability computeCapability(Object value) {
        Map<?, ?> map = toObject(value, "value");
        return new ComputeCapability(field(map, "major"), field(map, "minor"));
    }

    static Map<String, Object> encode(PciInfo pci) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("busId", pci.busId());
        map.put("domain", unsigned(pci.domain()));
        map.put("bus", unsigned(pci.bus()));
        map.put("device", unsigned(pci.device()));
        map.put("pciDeviceId", unsigned(pci.pciDeviceId()));
        return map;
    }

    static PciInfo pciInfo(Object value) {
        Map<?, ?> map = toObject(value, "value");
        return new PciInfo(toText(map.get("busId"), "field \"busId\""), field(map, "domain"), field(map, "bus"),
                field(map, "device"), field(map, "pciDeviceId"));
    }

    static Map<String, Object> encode(MemoryInfo memory) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("total", memory.total());
        map.put("free", memory.free());
        map.put("used", memory.used());
        return map;
    }

    static MemoryInfo memoryInfo(Object value) {
        Map<?, ?> map = toObject(value, "value");
        return new MemoryInfo(longField(map, "total"), longField(map, "free"), longField(map, "used"));
    }

    static Map<String, Object> encode(MigMode mode) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("currentMode", unsigned(mode.current()));
        map.put("pendingMode", unsigned(mode.pending()));
        return map;
    }

    static MigMode migMode(Object value) {
        Map<?, ?> map = toObject(value, "value");
        return new MigMode(field(map, "currentMode"), field(map, "pendingMode"));
    }

    static Map<String, Object> encode(GpuInstanceInfo info) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", unsigned(info.id()));
        map.put("profileId", unsigned(info.profileId()));
        Map<String, Object> placement = new LinkedHashMap<>();
        placement.put("start", unsigned(info.placementStart()));
        placement.put("size", unsigned(info.placementSize()));
        map.put("placement", placement);
        return map;
    }

    static GpuInstanceInfo gpuInstanceInfo(Object value) {
        Map<?, ?> map = toObject(value, "value");
        Map<?, ?> placement = toObject(map.get("placement"), "field \"placement\"");
        return new GpuInstanceInfo(field(map, "id"), field(map, "profileId"), field(placement, "start"), field(placement, "size"));
    }

    static Map<String, Object> encode(GpuInstanceProfileInfo info) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", unsigned(info.id()));
        map.put("isP2pSupported", unsigned(info.isP2pSupported()));
        map.put("sliceCount", unsigned(info.sliceCount()));
        map.put("instanceCount", unsigned(info.instanceCount()));
        map.put("multiprocessorCount", unsigned(info.multiprocessorCount()));
        map.put("copyEngineCount", unsigned(info.copyEngineCount()));
        map.put("decoderCount", unsigned(info.decoderCount()));
        map.put("encoderCount", unsigned(info.encoderCount()));
        map.put("jpegCount", unsigned(info.jpegCount()));
        map.put("ofaCount", unsigned(info.ofaCount()));
        map.put("memorySizeMB", info.memorySizeMB());
        return map;
    }

    static GpuInstanceProfileInfo gpuInstanceProfileInfo(Object value) {
        Map<?, ?> map = toObject(value, "value");
        return new GpuInstanceProfileInfo(field(map, "id"), field(map, "isP2pSupported"), field(map, "sliceCount"),
                field(map, "instanceCount"), field(map, "multiprocessorCount"), field(map, "copyEngineCount"),
                field(map, "decoderCount"), field(map, "encoderCount"), field(map, "jpegCount"), field(map, "ofaCount"),
                longField(map, "memorySizeMB"));
    }

    static Map<String, Object> encode(MigDeviceAttributes attributes) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("multiprocessorCount", unsigned(attributes.multiprocessorCount()));
        map.put("sharedCopyEngineCount", unsigned(attributes.sharedCopyEngineCount()));
        map.put("sharedDecoderCount", unsigned(attributes.sharedDecoderCount()));
        map.put("sharedEncoderCount", unsigned(attributes.sharedEncoderCount()));
        map.put("sharedJpegCount", unsigned(attributes.sharedJpegCount()));
        map.put("sharedOfaCount", unsigned(attributes.sharedOfaCount()));
        map.put("gpuInstanceSliceCount", unsigned(attributes.gpuInstanceSliceCount()));
        map.put("computeInstanceSliceCount", unsigned(attributes.computeInstanceSliceCount()));
        map.put("memorySizeMB", attributes.memorySizeMB());
        return map;
    }

    static MigDeviceAttributes migDeviceAttributes(Object value) {
        Map<?, ?> map = toObject(value, "value");
        return new MigDeviceAttributes(field(map, "multiprocessorCount"), field(map, "sharedCopyEngineCount"),
                field(map, "sharedDecoderCount"), field(map, "sharedEncoderCount"), field(map, "sharedJpegCount"),
                field(map, "sharedOfaCount"), field(map, "gpuInstanceSliceCount"), field(map, "computeInstanceSliceCount"),
                longField(map, "memorySizeMB"));
    }
}
