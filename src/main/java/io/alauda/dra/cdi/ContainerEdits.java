package io.alauda.dra.cdi;

import java.util.ArrayList;
import java.util.List;

/**
 * What a runtime changes in the container's OCI spec. Lists are never null; an empty list is left out of the file.
 *
 * @param env            {@code NAME=VALUE} entries
 * @param additionalGids supplementary groups for the container process (CDI 0.7.0); lets a non-root container open
 *                       a device node that only its group may use
 */
public record ContainerEdits(
        List<String> env,
        List<DeviceNode> deviceNodes,
        List<Mount> mounts,
        List<Hook> hooks,
        List<Long> additionalGids) {

    public static final ContainerEdits EMPTY = new ContainerEdits(null, null, null, null, null);

    public ContainerEdits {
        env = ImmutableCopies.list(env);
        deviceNodes = ImmutableCopies.list(deviceNodes);
        mounts = ImmutableCopies.list(mounts);
        hooks = ImmutableCopies.list(hooks);
        additionalGids = ImmutableCopies.list(additionalGids);
    }

    public boolean isEmpty() {
        return env.isEmpty() && deviceNodes.isEmpty() && mounts.isEmpty() && hooks.isEmpty() && additionalGids.isEmpty();
    }

    /** These edits followed by {@code other}'s, without repeating a supplementary group. */
    public ContainerEdits plus(ContainerEdits other) {
        List<Long> gids = new ArrayList<>(additionalGids);
        other.additionalGids.stream().filter(g -> !gids.contains(g)).forEach(gids::add);
        return new ContainerEdits(
                concat(env, other.env),
                concat(deviceNodes, other.deviceNodes),
                concat(mounts, other.mounts),
                concat(hooks, other.hooks),
                gids);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
