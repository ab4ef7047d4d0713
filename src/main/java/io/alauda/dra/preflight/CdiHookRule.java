package io.alauda.dra.preflight;

import io.alauda.dra.cdi.CdiHookLocator;

/**
 * Without nvidia-cdi-hook the specs carry no hooks: the driver's libraries are mounted without their SONAME links or
 * ld cache entries, so a container cannot load them (nvidia-smi: "couldn't find libnvidia-ml.so", proved on a GPU
 * in docs/cdi.md). Publishing GPUs then would only give pods that never see them; the node publishes none instead.
 */
public final class CdiHookRule {

    private CdiHookRule() {
    }

    public static Finding check(CdiHookLocator.Choice choice) {
        return choice.warning()
                .map(warning -> new Finding(Check.CDI_HOOK, Outcome.FAILED, "NoCdiHook", warning
                        + "; until then this node publishes no GPUs. Then delete this node's kubelet-plugin pod so that it"
                        + " checks again"))
                .orElseGet(() -> Finding.passed(Check.CDI_HOOK, "CdiHookFound", "CDI specs run nvidia-cdi-hook at "
                        + choice.hostPath().orElseThrow() + " (" + choice.source() + ")"));
    }
}
