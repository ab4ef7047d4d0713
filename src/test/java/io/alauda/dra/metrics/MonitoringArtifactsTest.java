package io.alauda.dra.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.alauda.dra.controller.ControllerMetricsFixture;
import io.alauda.dra.operator.OperatorMetrics;
import io.alauda.dra.operator.resources.Names;
import io.alauda.dra.plugin.role.PluginMetrics;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleSpec;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/monitoring: the alert rules (PrometheusRule and plain rule file), their promtool tests and the Grafana
 * dashboard, checked with promtool and against the metric names the code really exports.
 */
@SuppressWarnings("deprecation")
class MonitoringArtifactsTest {

    private static final Path MONITORING = Path.of("deploy", "monitoring");
    private static final Path RULE_FILE = MONITORING.resolve("rules/nvidia-dra-driver.rules.yaml");
    private static final Pattern OUR_METRIC = Pattern.compile("\\bnvidia_dra_[a-z0-9_]+\\b");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<Rule> alerts() throws Exception {
        PrometheusRuleSpec spec = new KubernetesSerialization().unmarshal(Files.readString(RULE_FILE), PrometheusRuleSpec.class);
        return spec.getGroups().stream().flatMap(g -> g.getRules().stream()).toList();
    }

    /** Every series name (with _total, _bucket, ... as exported) our three roles produce. */
    private static Set<String> exportedNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PluginMetrics plugin = new PluginMetrics(registry, "n");
        plugin.startRequest(PluginMetrics.PREPARE).close();
        plugin.preparedDevices("gpu", 1);
        plugin.checkpointRecovered("x");
        plugin.enableDeviceHealth();
        plugin.unhealthyDevices(java.util.Map.of("gpu.nvidia.com/xid", 1));
        new OperatorMetrics(registry, "v").update("d", List.of(new ConditionBuilder().withType("Ready").withStatus("True").build()));
        ControllerMetricsFixture.publishOneOfEverything(registry);
        return new PrometheusText(registry.scrape()).seriesNames();
    }

    private static Set<String> ourMetricsIn(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher m = OUR_METRIC.matcher(expression);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    @Test
    void thePrometheusRuleCarriesExactlyThePlainRuleFile() throws Exception {
        KubernetesSerialization serialization = new KubernetesSerialization();
        PrometheusRule rule = serialization.unmarshal(Files.readString(MONITORING.resolve("prometheusrule.yaml")), PrometheusRule.class);
        PrometheusRuleSpec plain = serialization.unmarshal(Files.readString(RULE_FILE), PrometheusRuleSpec.class);

        assertEquals("monitoring.coreos.com/v1", rule.getApiVersion());
        assertEquals("PrometheusRule", rule.getKind());
        assertEquals(plain, rule.getSpec(), "prometheusrule.yaml's spec and rules/nvidia-dra-driver.rules.yaml differ");
    }

    @Test
    void everyAlertSaysHowBadItIsWhatHappenedAndWhatToDo() throws Exception {
        List<Rule> alerts = alerts();
        assertEquals(11, alerts.size());
        for (Rule alert : alerts) {
            assertTrue(Set.of("info", "warning", "critical").contains(alert.getLabels().get("severity")), alert.getAlert());
            for (String annotation : List.of("summary", "description", "runbook")) {
                String text = alert.getAnnotations().get(annotation);
                assertTrue(text != null && text.length() > 20, alert.getAlert() + " lacks a useful " + annotation);
            }
            assertFalse(alert.getFor() == null || alert.getFor().isBlank(), alert.getAlert() + " would fire on one bad sample");
        }
    }

    @Test
    void promtoolAcceptsTheRulesWithEveryLint() throws Exception {
        Promtool.Result result = Promtool.run(Path.of("."), null, "check", "rules", "--lint=all", "--lint-fatal", RULE_FILE.toString());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS: 11 rules found"), result.output());
    }

    @Test
    void promtoolRuleTestsPassAndMakeEveryAlertFire() throws Exception {
        List<String> tests;
        try (Stream<Path> files = Files.list(MONITORING.resolve("tests"))) {
            tests = files.map(Path::toString).filter(f -> f.endsWith(".yaml")).sorted().toList();
        }
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        args.addAll(tests);
        Promtool.Result result = Promtool.run(Path.of("."), null, args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.output());

        Set<String> fired = new TreeSet<>();
        for (String test : tests) {
            for (JsonNode testCase : YAML.readTree(Path.of(test).toFile()).path("tests")) {
                for (JsonNode check : testCase.path("alert_rule_test")) {
                    if (!check.path("exp_alerts").isEmpty()) {
                        fired.add(check.path("alertname").asText());
                    }
                }
            }
        }
        assertEquals(alerts().stream().map(Rule::getAlert).collect(Collectors.toCollection(TreeSet::new)), fired,
                "every alert needs a promtool test case in which it fires");
    }

    /**
     * Alerts find the driver's series by the names of the objects the operator creates (kube-state-metrics'
     * daemonset label, the job Prometheus takes from the metrics Service): a renamed object must rename them too.
     */
    @Test
    void rulesTheirTestsAndTheDashboardSelectTheObjectsTheOperatorCreates() throws Exception {
        Pattern selector = Pattern.compile("\\b(daemonset|deployment|job|service)(=~|!~|=|!=)\"([^\"]*)\"");
        List<String> texts = new ArrayList<>();
        alerts().forEach(a -> texts.add(a.getExpr().getStrVal()));
        texts.addAll(dashboardExpressions());
        try (Stream<Path> files = Files.list(MONITORING.resolve("tests"))) {
            for (Path test : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                texts.add(Files.readString(test));
            }
        }
        Set<String> ours = Set.of(Names.KUBELET_PLUGIN, Names.CONTROLLER, Names.KUBELET_PLUGIN_METRICS, Names.CONTROLLER_METRICS);
        Set<String> selected = new TreeSet<>();
        for (String text : texts) {
            Matcher m = selector.matcher(text);
            while (m.find()) {
                String label = m.group(1);
                String value = m.group(3);
                if (label.equals("job") && value.equals("kube-state-metrics")) {
                    continue;
                }
                selected.add(label + "=" + value);
                assertTrue(ours.contains(value), label + "=\"" + value + "\" names nothing the operator creates (" + ours + ")");
            }
        }
        assertEquals(Set.of("daemonset=" + Names.KUBELET_PLUGIN, "job=" + Names.CONTROLLER_METRICS), selected);
    }

    @Test
    void rulesAndDashboardNameOnlyMetricsTheCodeExports() throws Exception {
        Set<String> exported = exportedNames();
        for (Rule alert : alerts()) {
            for (String name : ourMetricsIn(alert.getExpr().getStrVal())) {
                assertTrue(exported.contains(name), alert.getAlert() + " uses " + name + ", which nothing exports");
            }
        }
        for (String expr : dashboardExpressions()) {
            for (String name : ourMetricsIn(expr)) {
                assertTrue(exported.contains(name), "the dashboard uses " + name + ", which nothing exports");
            }
        }
    }

    @Test
    void everyDashboardQueryIsValidPromQL(@TempDir Path dir) throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String expr : dashboardExpressions()) {
            String concrete = expr.replace("$__rate_interval", "5m").replace("$product", ".*").replace("$node", ".*")
                    .replace("$namespace", ".*");
            rules.append("      - record: dashboard:query").append(i++).append("\n        expr: ")
                    .append(new ObjectMapper().writeValueAsString(concrete)).append('\n');
        }
        Path file = dir.resolve("dashboard-queries.yaml");
        Files.writeString(file, rules);

        Promtool.Result result = Promtool.run(dir, null, "check", "rules", file.toString());

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS: " + i + " rules found"), result.output());
    }

    @Test
    void dashboardPanelsFitTheGridWithoutOverlapAndUseTheDatasourceVariable() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("dashboard.json").toFile());
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            JsonNode g = panel.path("gridPos");
            int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
            assertTrue(box[0] >= 0 && box[0] + box[2] <= 24 && box[2] > 0 && box[3] > 0, panel.path("title").asText());
            for (int[] other : boxes) {
                boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                        && box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
                assertFalse(overlap, panel.path("title").asText() + " overlaps another panel");
            }
            boxes.add(box);
            if (!"row".equals(panel.path("type").asText())) {
                assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
                assertFalse(panel.path("description").asText().isBlank(), panel.path("title").asText() + " needs a description");
            }
        }
    }

    static List<String> dashboardExpressions() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("dashboard.json").toFile());
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asText());
            }
        }
        assertFalse(expressions.isEmpty());
        return expressions;
    }
}
