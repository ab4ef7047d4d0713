package io.alauda.dra.nvml;

import java.util.Optional;

/**
 * Names GPU-instance profiles the way go-nvlib does ({@code MigProfileInfo.String()}), because the name is part of
 * the published device name and of the {@code profile} attribute: {@code 1g.5gb}, {@code 1g.5gb+me},
 * {@code 1g.10gb-me}, {@code 1g.23gb+me.all}, {@code 1g.24gb+gfx}.
 *
 * <p>The slice count and the attribute suffix follow from the profile enum ({@code NVML_GPU_INSTANCE_PROFILE_*}), the
 * size in GB from the profile's memory as a share of the whole GPU. NVML's own profile name (the {@code _v2} info
 * struct) is not used: upstream never reads it, and a mismatch would rename devices.
 */
public final class MigProfileNames {

    /** Number of {@code NVML_GPU_INSTANCE_PROFILE_*} enums (1_SLICE = 0 ... 2_SLICE_ALL_ME = 16). */
    public static final int PROFILE_ENUM_COUNT = 17;

    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024L * MIB;

    /** Slices per profile enum, indexed by enum value. */
    private static final int[] SLICES = {1, 2, 3, 4, 7, 8, 6, 1, 2, 1, 1, 2, 4, 1, 2, 1, 2};

    /** Name suffix per profile enum: media extensions (REV1, ALL_ME, NO_ME) and graphics (GFX). */
    private static final String[] SUFFIXES = {"", "", "", "", "", "", "", "+me", "+me", "", "+gfx", "+gfx", "+gfx",
        "-me", "-me", "+me.all", "+me.all"};

    private MigProfileNames() {
    }

    /**
     * @param profileEnum      the {@code NVML_GPU_INSTANCE_PROFILE_*} value the profile was read with
     * @param memorySizeMB     {@code nvmlGpuInstanceProfileInfo_t.memorySizeMB}
     * @param gpuMemoryBytes   total memory of the parent GPU ({@code nvmlDeviceGetMemoryInfo})
     * @return empty for an enum this table does not know
     */
    public static Optional<String> name(int profileEnum, long memorySizeMB, long gpuMemoryBytes) {
        if (profileEnum < 0 || profileEnum >= PROFILE_ENUM_COUNT || gpuMemoryBytes <= 0) {
            return Optional.empty();
        }
        return Optional.of(SLICES[profileEnum] + "g." + memoryGb(memorySizeMB, gpuMemoryBytes) + "gb" + SUFFIXES[profileEnum]);
    }

    /**
     * The profile's share of the GPU rounded up to eighths, times the GPU's memory in whole GiB (rounded up), rounded
     * to the nearest integer: 4864 MiB of a 40960 MiB A100 is 1/8 of 40 GiB, so 5. Floating point as go-nvlib does it,
     * so borderline sizes round the same way.
     */
    static long memoryGb(long memorySizeMB, long gpuMemoryBytes) {
        double fraction = (double) memorySizeMB * MIB / (double) gpuMemoryBytes;
        fraction = Math.ceil(fraction * 8) / 8;
        long gpuGb = (gpuMemoryBytes + GIB - 1) / GIB;
        return Math.round(fraction * gpuGb);
    }
}
