package io.alauda.dra.nvml;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JnaNvmlEvents against the C stand-in for libnvidia-ml.so.1 (src/test/resources/nvml/fake-libnvidia-ml.c): the
 * stub's nvmlEventData_t is laid out by the compiler from the nvml.h declaration, so a wrong offset in
 * NvmlStructLayout shows up as a wrong XID or instance ID here. Skipped where no C compiler is installed.
 */
class JnaNvmlEventsTest {

    private static final String A100 = "GPU-a0a0a0a0-1111-4222-8333-444455556666";
    private static final String T4 = "GPU-7474t4t4-1111-4222-8333-444455556666";

    @TempDir
    static Path driverRoot;

    private static Path library;

    private JnaNvmlEvents events;

    /** The stub's test controls, bound to the same loaded library as NvmlLibrary. */
    static final class StubControl {
        static native int fake_nvml_raise(int gpu, long type, long data, int gi, int ci);

        static native void fake_nvml_set_lost(int gpu, int lost);

        static native int fake_nvml_live_event_sets();

        static native int fake_nvml_init_count();

        static native int fake_nvml_last_timeout();
    }

    @BeforeAll
    static void buildStubLibrary() throws IOException, InterruptedException {
        library = NvmlStub.build(driverRoot);
        Native.register(StubControl.class, NativeLibrary.getInstance(library.toAbsolutePath().toString()));
    }

    @AfterAll
    static void unbindControls() {
        Native.unregister(StubControl.class);
    }

    @BeforeEach
    void open() {
        events = JnaNvmlEvents.load(library);
        events.open();
    }

    @AfterEach
    void close() {
        StubControl.fake_nvml_set_lost(0, 0);
        StubControl.fake_nvml_set_lost(1, 0);
        events.close();
    }

    @Test
    void supportedTypesAreReadPerGpuAndRegistrationRefusesTheRest() {
        assertEquals(NvmlEventType.SINGLE_BIT_ECC_ERROR | NvmlEventType.DOUBLE_BIT_ECC_ERROR | NvmlEventType.PSTATE
                | NvmlEventType.XID_CRITICAL_ERROR | NvmlEventType.MIG_CONFIG_CHANGE, events.supportedEventTypes(A100));
        assertEquals(NvmlEventType.PSTATE, events.supportedEventTypes(T4));

        events.register(A100, NvmlEventType.XID_CRITICAL_ERROR | NvmlEventType.DOUBLE_BIT_ECC_ERROR);
        NvmlException refused = assertThrows(NvmlException.class, () -> events.register(T4, NvmlEventType.XID_CRITICAL_ERROR));
        assertEquals(NvmlReturn.ERROR_NOT_SUPPORTED, refused.code());
        assertEquals(NvmlCall.REGISTER_EVENTS, refused.function());
    }

    @Test
    void anEventComesBackFieldForFieldWithItsGpuUuid() {
        events.register(A100, NvmlEventType.XID_CRITICAL_ERROR);
        assertEquals(1, StubControl.fake_nvml_raise(0, NvmlEventType.XID_CRITICAL_ERROR, 79, 5, 0));
        assertEquals(1, StubControl.fake_nvml_raise(0, NvmlEventType.XID_CRITICAL_ERROR, 0x1_0000_0001L, NvmlEvent.NO_INSTANCE,
                NvmlEvent.NO_INSTANCE));

        assertEquals(Optional.of(new NvmlEvent(A100, NvmlEventType.XID_CRITICAL_ERROR, 79, 5, 0)), events.await(250));
        assertEquals(250, StubControl.fake_nvml_last_timeout());
        NvmlEvent wide = events.await(250).orElseThrow();
        assertEquals(0x1_0000_0001L, wide.data(), "eventData is a full unsigned long long");
        assertTrue(wide.gpuInstance().isEmpty() && wide.computeInstance().isEmpty(), wide.toString());
        assertEquals(Optional.empty(), events.await(250), "NVML_ERROR_TIMEOUT is no event, not an error");
    }

    @Test
    void probeAnswersForItsOwnGpuOnly() {
        events.probe(A100);
        events.probe(T4);
        StubControl.fake_nvml_set_lost(1, 1);

        NvmlException lost = assertThrows(NvmlException.class, () -> events.probe(T4));
        assertEquals(NvmlReturn.ERROR_GPU_IS_LOST, lost.code());
        events.probe(A100);
    }

    /** nvmlDeviceGetHandleByUUID answers GPU_IS_LOST for every UUID while any GPU is lost; the index walk does not. */
    @Test
    void aHealthyGpuIsFoundWhileAnotherIsLost() {
        StubControl.fake_nvml_set_lost(1, 1);

        events.probe(A100);
        assertEquals(NvmlEventType.PSTATE | NvmlEventType.XID_CRITICAL_ERROR | NvmlEventType.SINGLE_BIT_ECC_ERROR
                | NvmlEventType.DOUBLE_BIT_ECC_ERROR | NvmlEventType.MIG_CONFIG_CHANGE, events.supportedEventTypes(A100));
        NvmlException lost = assertThrows(NvmlException.class, () -> events.probe(T4));
        assertEquals(NvmlReturn.ERROR_GPU_IS_LOST, lost.code());
        NvmlException unknown = assertThrows(NvmlException.class, () -> events.probe("GPU-not-on-this-node"));
        assertEquals(NvmlReturn.ERROR_GPU_IS_LOST, unknown.code(), "while a GPU is lost, a missing UUID may be the lost one");

        StubControl.fake_nvml_set_lost(1, 0);
        NvmlException gone = assertThrows(NvmlException.class, () -> events.probe("GPU-not-on-this-node"));
        assertEquals(NvmlReturn.ERROR_NOT_FOUND, gone.code());
    }

    @Test
    void closeFreesTheSetAndShutsNvmlDownOnce() {
        int before = StubControl.fake_nvml_init_count();
        assertEquals(1, StubControl.fake_nvml_live_event_sets());

        events.close();
        events.close();

        assertEquals(0, StubControl.fake_nvml_live_event_sets());
        assertEquals(before - 1, StubControl.fake_nvml_init_count());
    }
}
