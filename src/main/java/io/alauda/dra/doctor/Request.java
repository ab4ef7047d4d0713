package io.alauda.dra.doctor;

import java.util.List;
import java.util.Map;

/**
 * One device request of a claim, or one of a request's {@code firstAvailable} subrequests.
 *
 * @param count         devices wanted in mode ExactCount
 * @param capacity      capacity.requests (name to quantity) every chosen device must have
 * @param firstAvailable subrequests tried in order; when not empty the other fields but name are unused
 */
public record Request(String name, String deviceClassName, List<String> selectors, AllocationMode mode, long count,
        boolean adminAccess, Map<String, Quantity> capacity, List<Toleration> tolerations, List<Request> firstAvailable) {

    /** How many devices a request wants. */
    public enum AllocationMode {
        EXACT_COUNT, ALL
    }

    public Request {
        selectors = List.copyOf(selectors);
        capacity = Map.copyOf(capacity);
        tolerations = List.copyOf(tolerations);
        firstAvailable = List.copyOf(firstAvailable);
    }

    /** A plain request: class, selectors, ExactCount of {@code count}. */
    public static Request exact(String name, String deviceClassName, long count, String... selectors) {
        return new Request(name, deviceClassName, List.of(selectors), AllocationMode.EXACT_COUNT, count, false, Map.of(),
                List.of(), List.of());
    }

    public Request withMode(AllocationMode m) {
        return new Request(name, deviceClassName, selectors, m, count, adminAccess, capacity, tolerations, firstAvailable);
    }

    public Request withAdminAccess(boolean a) {
        return new Request(name, deviceClassName, selectors, mode, count, a, capacity, tolerations, firstAvailable);
    }

    public Request withCapacity(Map<String, Quantity> c) {
        return new Request(name, deviceClassName, selectors, mode, count, adminAccess, c, tolerations, firstAvailable);
    }

    public Request withTolerations(List<Toleration> t) {
        return new Request(name, deviceClassName, selectors, mode, count, adminAccess, capacity, t, firstAvailable);
    }
}
