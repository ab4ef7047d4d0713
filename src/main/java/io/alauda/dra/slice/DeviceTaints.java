package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.health.DeviceProblems;
import io.alauda.dra.health.HealthEffect;
import io.alauda.dra.health.HealthProblem;
import io.alauda.dra.health.HealthSnapshot;
import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The taints a device carries in its slice for the problems that stand against it (its own and, for a MIG device,
 * its parent GPU's). Only problems with a scheduling effect become taints: Kubernetes 1.34 accepts just NoSchedule
 * and NoExecute, and a slice with an effect it does not know is refused whole, which would unpublish every device of
 * the node for one informational problem.
 */
public final class DeviceTaints {

    /** resource.k8s.io's DeviceTaintsMaxLength. */
    static final int MAX_TAINTS_PER_DEVICE = 4;

    private static final Logger LOG = Logger.getLogger(DeviceTaints.class);
    /** A label name: an optional DNS-subdomain prefix and '/', then at most 63 characters. */
    private static final Pattern KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    /** A label value: empty, or at most 63 characters. */
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    private DeviceTaints() {
    }

    /**
     * At most {@value #MAX_TAINTS_PER_DEVICE}, the most severe and then the oldest kept: enough to keep the device from
     * being allocated, which any one of them does.
     */
    public static List<SliceTaint> of(HealthSnapshot snapshot, AllocatableDevice device) {
        Map<SliceTaint, HealthProblem> unique = new LinkedHashMap<>();
        DeviceProblems.of(snapshot, device).stream()
                .filter(problem -> problem.effect().unhealthy())
                .filter(problem -> valid(device, problem))
                .sorted(Comparator.comparing((HealthProblem p) -> p.effect() == HealthEffect.NO_EXECUTE ? 0 : 1)
                        .thenComparing(HealthProblem::since))
                .forEach(problem -> unique.putIfAbsent(
                        new SliceTaint(problem.key(), problem.value(), problem.effect().kubeName()), problem));
        return unique.keySet().stream().limit(MAX_TAINTS_PER_DEVICE).toList();
    }

    /**
     * The API server refuses a whole slice for one malformed taint; a monitor's bad key must not unpublish the node, so
     * such a problem is left out of the slice and said in the log (it still counts in the health stream and metrics).
     */
    private static boolean valid(AllocatableDevice device, HealthProblem problem) {
        if (KEY.matcher(problem.key()).matches() && problem.key().length() <= 316 && VALUE.matcher(problem.value()).matches()) {
            return true;
        }
        LOG.warnf("device %s: problem %s=%s is not published as a taint: the key must be a label name and the value a label "
                + "value (at most 63 letters, digits, '-', '_' or '.')", device.name(), problem.key(), problem.value());
        return false;
    }

    /** Taints by device name, for the devices that have any. */
    public static Map<String, List<SliceTaint>> byName(HealthSnapshot snapshot, List<AllocatableDevice> devices) {
        Map<String, List<SliceTaint>> taints = new LinkedHashMap<>();
        for (AllocatableDevice device : devices) {
            List<SliceTaint> own = of(snapshot, device);
            if (!own.isEmpty()) {
                taints.put(device.name(), own);
            }
        }
        return Map.copyOf(taints);
    }
}
