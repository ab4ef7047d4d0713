package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.api.CallCancellation;
import io.alauda.dra.plugin.api.DraRequestHandler;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A handler whose answers the test sets, and which records what it was asked. */
final class FakeDraHandler implements DraRequestHandler {

    final List<List<ResourceClaimRef>> prepareCalls = new CopyOnWriteArrayList<>();
    final List<List<ResourceClaimRef>> unprepareCalls = new CopyOnWriteArrayList<>();
    volatile Function<List<ResourceClaimRef>, Map<String, NodePrepareResult>> onPrepare = claims -> Map.of();
    volatile Function<List<ResourceClaimRef>, Map<String, String>> onUnprepare = claims -> Map.of();

    /** The cancellation of the last prepare call, to ask it after the call. */
    volatile CallCancellation lastCancellation;

    @Override
    public Map<String, NodePrepareResult> prepare(List<ResourceClaimRef> claims, CallCancellation cancellation) {
        prepareCalls.add(claims);
        lastCancellation = cancellation;
        return onPrepare.apply(claims);
    }

    @Override
    public Map<String, String> unprepare(List<ResourceClaimRef> claims) {
        unprepareCalls.add(claims);
        return onUnprepare.apply(claims);
    }
}
