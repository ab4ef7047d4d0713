package io.alauda.dra.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * Keeps every role's /q/metrics clean under {@code promtool check metrics}. Our own meters are clean by
 * construction; a few that Quarkus, Micrometer and Netty register are not:
 * <ul>
 *   <li>{@code process.cpu.time} is exported as {@code process_cpu_time_ns_total} (a unit abbreviation, and not
 *       the base unit); {@code process_cpu_usage} tells the same story, so it is dropped.</li>
 *   <li>{@code system.cpu.count} ends in {@code _count}, which Prometheus reserves for histograms and summaries;
 *       it is dropped (the pod's CPU limit says more on Kubernetes anyway).</li>
 *   <li>{@code http.server.connections} is a long task timer whose {@code _active_count}/{@code _duration_sum}
 *       samples do not belong to its own family; dropped.</li>
 *   <li>meters registered without a description get one, since an exported family without HELP is flagged.</li>
 * </ul>
 */
public final class LintCleanMeters implements MeterFilter {

    static final Set<String> DROPPED = Set.of("process.cpu.time", "system.cpu.count", "http.server.connections");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return DROPPED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null && !id.getDescription().isBlank()) {
            return id;
        }
        return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                "Meter " + id.getName() + " (registered without a description by its library).", id.getType());
    }

    /** Quarkus applies every MeterFilter bean to its registries, in every role. */
    @Singleton
    static final class Producer {
        @Produces
        @Singleton
        MeterFilter lintCleanMeters() {
            return new LintCleanMeters();
        }
    }
}
