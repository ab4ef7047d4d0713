package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

import java.util.LinkedHashMap;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricsSpec {

    @JsonPropertyDescription("Expose Prometheus metrics from the kubelet plugin and the controller, with a Service per role.")
    @Default("true")
    public boolean enabled = true;

    @JsonPropertyDescription("HTTP port of the metrics endpoint (/q/metrics) in the driver's pods.")
    @Default("8080")
    @Min(1024)
    @Max(65535)
    public int port = Defaults.METRICS_PORT;

    @JsonPropertyDescription("Prometheus Operator ServiceMonitor; created only when its CRD is installed.")
    public ServiceMonitor serviceMonitor = new ServiceMonitor();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ServiceMonitor {
        @JsonPropertyDescription("Create a ServiceMonitor when the monitoring.coreos.com CRD exists.")
        @Default("true")
        public boolean enabled = true;

        @JsonPropertyDescription("Scrape interval, a Prometheus duration such as 30s or 1m.")
        @Default("30s")
        @Pattern("^([0-9]+(ms|s|m|h))+$")
        @Size(max = 32)
        public String interval = Defaults.SCRAPE_INTERVAL;

        @JsonPropertyDescription("Extra labels on the ServiceMonitor, e.g. the release label your Prometheus selects on.")
        @Size(max = 20)
        public Map<String, @Size(max = 63) String> labels = new LinkedHashMap<>();
    }
}
