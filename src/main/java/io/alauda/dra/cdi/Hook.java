package io.alauda.dra.cdi;

import java.util.List;

/**
 * An OCI hook to add to the container.
 *
 * @param hookName the OCI lifecycle point, e.g. {@code createContainer}
 * @param path     absolute path of the executable on the host
 * @param args     full argv, including argv[0]
 * @param timeout  seconds; null for none
 */
public record Hook(String hookName, String path, List<String> args, List<String> env, Integer timeout) {

    public Hook {
        args = ImmutableCopies.list(args);
        env = ImmutableCopies.list(env);
    }
}
