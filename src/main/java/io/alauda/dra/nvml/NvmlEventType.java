package io.alauda.dra.nvml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code nvmlEventType} bits of nvml.h, for {@code nvmlDeviceRegisterEvents} masks and the {@code eventType} of
 * an event, with their nvml.h names for logs: a mask prints as {@code XidCriticalError|DoubleBitEccError}.
 */
public final class NvmlEventType {

    public static final long SINGLE_BIT_ECC_ERROR = 0x1L;
    public static final long DOUBLE_BIT_ECC_ERROR = 0x2L;
    public static final long PSTATE = 0x4L;
    public static final long XID_CRITICAL_ERROR = 0x8L;
    /** Kepler only, per nvml.h. */
    public static final long CLOCK = 0x10L;
    public static final long POWER_SOURCE_CHANGE = 0x80L;
    public static final long MIG_CONFIG_CHANGE = 0x100L;
    public static final long SINGLE_BIT_ECC_ERROR_STORM = 0x200L;
    public static final long DRAM_RETIREMENT_EVENT = 0x400L;
    public static final long DRAM_RETIREMENT_FAILURE = 0x800L;
    public static final long NON_FATAL_POISON_ERROR = 0x1000L;
    public static final long FATAL_POISON_ERROR = 0x2000L;
    public static final long GPU_UNAVAILABLE_ERROR = 0x4000L;
    public static final long GPU_RECOVERY_ACTION = 0x8000L;

    /** The {@code eventData} of an XID event whose XID NVML does not know (nvml.h). */
    public static final long UNKNOWN_XID = 999L;

    private static final Map<Long, String> NAMES = new TreeMap<>(Map.ofEntries(
            Map.entry(SINGLE_BIT_ECC_ERROR, "SingleBitEccError"),
            Map.entry(DOUBLE_BIT_ECC_ERROR, "DoubleBitEccError"),
            Map.entry(PSTATE, "PState"),
            Map.entry(XID_CRITICAL_ERROR, "XidCriticalError"),
            Map.entry(CLOCK, "Clock"),
            Map.entry(POWER_SOURCE_CHANGE, "PowerSourceChange"),
            Map.entry(MIG_CONFIG_CHANGE, "MigConfigChange"),
            Map.entry(SINGLE_BIT_ECC_ERROR_STORM, "SingleBitEccErrorStorm"),
            Map.entry(DRAM_RETIREMENT_EVENT, "DramRetirementEvent"),
            Map.entry(DRAM_RETIREMENT_FAILURE, "DramRetirementFailure"),
            Map.entry(NON_FATAL_POISON_ERROR, "NonFatalPoisonError"),
            Map.entry(FATAL_POISON_ERROR, "FatalPoisonError"),
            Map.entry(GPU_UNAVAILABLE_ERROR, "GpuUnavailableError"),
            Map.entry(GPU_RECOVERY_ACTION, "GpuRecoveryAction")));

    private NvmlEventType() {
    }

    /** {@code XidCriticalError|DoubleBitEccError}, lowest bit first; bits nvml.h does not name print as hex; 0 prints {@code None}. */
    public static String names(long mask) {
        if (mask == 0) {
            return "None";
        }
        List<String> names = new ArrayList<>();
        long unnamed = mask;
        for (Map.Entry<Long, String> entry : NAMES.entrySet()) {
            if ((mask & entry.getKey()) != 0) {
                names.add(entry.getValue());
                unnamed &= ~entry.getKey();
            }
        }
        if (unnamed != 0) {
            names.add("0x" + Long.toHexString(unnamed));
        }
        return String.join("|", names);
    }
}
