package io.alauda.dra.nvml;

/** {@code nvmlMemory_t} from {@code nvmlDeviceGetMemoryInfo}, in bytes. */
public record MemoryInfo(long total, long free, long used) {
}
