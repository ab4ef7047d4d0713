package io.alauda.dra.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.microprofile.config.ConfigProvider;

/** The {@code <role>_build_info{version} 1} series every role exports, so dashboards can show what runs where. */
public final class BuildInfo {

    static final String UNKNOWN = "unknown";

    private BuildInfo() {
    }

    public static Gauge register(MeterRegistry registry, String metricName, String version) {
        return Gauge.builder(metricName, () -> 1)
                .description("Always 1; the version label tells which build of the NVIDIA DRA driver runs.")
                .tag("version", version == null || version.isBlank() ? UNKNOWN : version)
                .strongReference(true)
                .register(registry);
    }

    /** {@code quarkus.application.version} where Quarkus runs, else the jar's manifest, else "unknown". */
    public static String version() {
        try {
            var configured = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class);
            if (configured.isPresent() && !configured.get().isBlank()) {
                return configured.get();
            }
        } catch (IllegalStateException e) {
            // no MicroProfile Config implementation on this class path: fall through to the manifest
        }
        String manifest = BuildInfo.class.getPackage().getImplementationVersion();
        return manifest == null || manifest.isBlank() ? UNKNOWN : manifest;
    }
}
