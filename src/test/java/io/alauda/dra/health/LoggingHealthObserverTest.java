package io.alauda.dra.health;

import io.alauda.dra.nvml.NvmlEvent;
import io.alauda.dra.nvml.NvmlEventType;
import io.alauda.dra.nvml.NvmlException;
import io.alauda.dra.nvml.NvmlReturn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoggingHealthObserverTest {

    private final Logger logger = Logger.getLogger(NvmlHealthMonitor.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level before;

    @BeforeEach
    void capture() {
        before = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    @AfterEach
    void release() {
        logger.removeHandler(handler);
        logger.setLevel(before);
    }

    @Test
    void whatMakesADeviceUnhealthyOrUnwatchedIsAWarningAndRoutineIsNot() {
        LoggingHealthObserver observer = new LoggingHealthObserver();
        observer.registered("GPU-1", 0xFL, 0xBL);
        observer.checked("GPU-1", Reachability.REACHABLE, "");
        observer.event(new NvmlEvent("GPU-1", NvmlEventType.SINGLE_BIT_ECC_ERROR, 0, NvmlEvent.NO_INSTANCE, NvmlEvent.NO_INSTANCE), "recorded");
        observer.event(new NvmlEvent("GPU-1", NvmlEventType.XID_CRITICAL_ERROR, 79, NvmlEvent.NO_INSTANCE, NvmlEvent.NO_INSTANCE), "tainted");
        observer.checked("GPU-1", Reachability.LOST, "nvmlDeviceGetMemoryInfo: NVML_ERROR_GPU_IS_LOST");
        observer.unmonitored("GPU-1", "no XID events");
        observer.waitFailed(new NvmlException("nvmlEventSetWait_v2", NvmlReturn.ERROR_UNKNOWN, "Unknown Error"));

        assertEquals(List.of(Level.INFO, Level.FINE, Level.INFO, Level.WARNING, Level.WARNING, Level.WARNING, Level.WARNING),
                records.stream().map(LogRecord::getLevel).toList());
        assertEquals("NVML health events for GPU-1: registered SingleBitEccError|DoubleBitEccError|XidCriticalError (supported:"
                + " SingleBitEccError|DoubleBitEccError|PState|XidCriticalError)", records.get(0).getMessage());
        assertEquals("GPU GPU-1 reachability: LOST (nvmlDeviceGetMemoryInfo: NVML_ERROR_GPU_IS_LOST)", records.get(4).getMessage());
    }
}
