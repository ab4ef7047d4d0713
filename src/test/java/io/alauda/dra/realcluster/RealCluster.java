package io.alauda.dra.realcluster;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;

/**
 * JUnit extension that hands tests one {@link ControlPlane} for the whole run: started on first use, stopped when the
 * run ends (JUnit closes what the root store holds, also after failures), so the suites share its start-up cost.
 * Each test cleans up what it creates; tests that need a fresh server are rare enough to start their own.
 */
public final class RealCluster implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(RealCluster.class))
                .computeIfAbsent(ControlPlane.class, key -> start(), ControlPlane.class);
    }

    private static ControlPlane start() {
        try {
            K8sBinaries binaries = K8sBinaries.resolve();
            return ControlPlane.start(binaries, Path.of("target/controlplane/" + binaries.minor() + "-" + ProcessHandle.current().pid())
                    .toAbsolutePath());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the real control plane: " + e.getMessage(), e);
        }
    }
}
