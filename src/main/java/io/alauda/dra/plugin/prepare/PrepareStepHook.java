package io.alauda.dra.plugin.prepare;

/**
 * Called at each {@link PrepareStep}, for tests: to stop a prepare at a chosen point as a crash would (an exception
 * thrown here is not rolled back, exactly like a killed process) or to hold a thread there with a latch.
 */
@FunctionalInterface
interface PrepareStepHook {

    PrepareStepHook NONE = (step, claimUid) -> {
    };

    void reached(PrepareStep step, String claimUid);
}
