package io.alauda.dra.preflight;

import io.alauda.dra.cdi.CdiHookLocator;

/** Without nvidia-cdi-hook the specs carry no hooks, and images without their own driver links cannot load NVML. */
public final class CdiHookRule {

    private CdiHookRule() {
    }

    public static Finding check(CdiHookLocator.Choice choice) {
        return choice.warning()
                .map(warning -> new Finding(Check.CDI_HOOK, Outcome.WARNING, "NoCdiHook", warning))
                .orElseGet(() -> Finding.passed(Check.CDI_HOOK, "CdiHookFound", "CDI specs run nvidia-cdi-hook at "
                        + choice.hostPath().orElseThrow() + " (" + choice.source() + ")"));
    }
}
