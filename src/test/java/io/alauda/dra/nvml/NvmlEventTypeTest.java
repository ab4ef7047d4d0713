package io.alauda.dra.nvml;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NvmlEventTypeTest {

    @Test
    void masksPrintByTheirNvmlHeaderNamesLowestBitFirst() {
        assertEquals("None", NvmlEventType.names(0));
        assertEquals("SingleBitEccError|DoubleBitEccError|XidCriticalError",
                NvmlEventType.names(NvmlEventType.XID_CRITICAL_ERROR | NvmlEventType.DOUBLE_BIT_ECC_ERROR | NvmlEventType.SINGLE_BIT_ECC_ERROR));
        assertEquals("GpuRecoveryAction|0x10000", NvmlEventType.names(NvmlEventType.GPU_RECOVERY_ACTION | 0x10000L));
    }

    @Test
    void eventsSayWhereTheyHappened() {
        assertEquals("XidCriticalError data=79 gi=3 ci=0 on GPU-1",
                new NvmlEvent("GPU-1", NvmlEventType.XID_CRITICAL_ERROR, 79, 3, 0).toString());
        assertEquals("DoubleBitEccError data=0 on an unknown GPU",
                new NvmlEvent("", NvmlEventType.DOUBLE_BIT_ECC_ERROR, 0, NvmlEvent.NO_INSTANCE, NvmlEvent.NO_INSTANCE).toString());
    }
}
