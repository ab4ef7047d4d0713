package io.alauda.dra.health;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceType;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems that stand against one published device. Monitors report by NVML UUID; a MIG device also suffers
 * what its parent GPU suffers (an XID or a lost GPU takes every MIG device on it down), so the slice, the kubelet
 * health stream and the events all ask here and never disagree.
 */
public final class DeviceProblems {

    private DeviceProblems() {
    }

    /** The device's own problems first, then its parent GPU's. */
    public static List<HealthProblem> of(HealthSnapshot snapshot, AllocatableDevice device) {
        List<HealthProblem> problems = new ArrayList<>(snapshot.problems(uuid(device)));
        if (device.type() == DeviceType.MIG) {
            problems.addAll(snapshot.problems(device.gpu().uuid()));
        }
        return List.copyOf(problems);
    }

    /** Healthy unless a problem with a scheduling effect stands against it or its parent. */
    public static boolean healthy(HealthSnapshot snapshot, AllocatableDevice device) {
        return of(snapshot, device).stream().noneMatch(p -> p.effect().unhealthy());
    }

    /** The NVML UUID the device is reported under: the MIG device's own, or the GPU's. */
    public static String uuid(AllocatableDevice device) {
        return device.type() == DeviceType.MIG ? device.mig().uuid() : device.gpu().uuid();
    }
}
