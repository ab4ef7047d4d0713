package io.alauda.dra.plugin.prepare;

import io.alauda.dra.device.DeviceType;
import io.alauda.dra.plugin.api.ResourceClaimRef;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the preparer reported, for assertions. */
final class RecordingObserver implements PrepareObserver {

    record Error(Operation operation, ClaimErrorType type, String claimUid, String message) {
    }

    final List<Error> errors = new CopyOnWriteArrayList<>();
    final List<RecoveryReport> recoveries = new CopyOnWriteArrayList<>();
    final Map<DeviceType, Integer> prepared = new ConcurrentHashMap<>();
    final List<Operation> finished = new CopyOnWriteArrayList<>();

    @Override
    public void requestFinished(Operation operation, Duration duration, int failedClaims) {
        finished.add(operation);
    }

    @Override
    public void prepareError(ClaimErrorType type, ResourceClaimRef claim, String message) {
        errors.add(new Error(Operation.PREPARE, type, claim.uid(), message));
    }

    @Override
    public void unprepareError(ClaimErrorType type, ResourceClaimRef claim, String message) {
        errors.add(new Error(Operation.UNPREPARE, type, claim.uid(), message));
    }

    @Override
    public void preparedDevices(DeviceType type, int count) {
        prepared.put(type, count);
    }

    @Override
    public void recovered(RecoveryReport report) {
        recoveries.add(report);
    }
}
