package io.alauda.dra.doctor.cli;

import io.alauda.dra.doctor.ClaimReport;
import io.alauda.dra.doctor.DeviceVerdict;
import io.alauda.dra.doctor.RequestVerdict;
import io.alauda.dra.files.JsonFiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report as a table for people or as JSON for tools. */
final class ReportOutput {

    static final int GROUP_ABOVE = 40;

    private ReportOutput() {
    }

    static String table(ClaimReport r, boolean all) {
        StringBuilder b = new StringBuilder();
        b.append("Claim ").append(r.claim()).append(": ").append(r.verdict()).append('\n');
        for (String p : r.problems()) {
            b.append("  ").append(p).append('\n');
        }
        for (RequestVerdict v : r.requests()) {
            b.append('\n').append("Request ").append(v.name());
            if (v.deviceClass() != null) {
                b.append(" (DeviceClass ").append(v.deviceClass()).append(')');
            }
            b.append(": ").append(v.satisfiable() ? "can be met" : "CANNOT be met").append('\n');
            b.append("  ").append(v.summary()).append('\n');
            for (String n : v.nearMisses()) {
                b.append("  near miss: ").append(n).append('\n');
            }
            if (v.devices().isEmpty()) {
                continue;
            }
            b.append('\n');
            List<String[]> rows = new ArrayList<>();
            if (all || v.devices().size() <= GROUP_ABOVE) {
                rows.add(new String[] {"DEVICE", "NODE", "RESULT", "WHY"});
                for (DeviceVerdict d : v.devices()) {
                    rows.add(new String[] {d.device(), d.where(), d.reason().label(), d.detail()});
                }
            } else {
                rows.add(new String[] {"DEVICES", "EXAMPLE", "RESULT", "WHY"});
                Map<String, List<DeviceVerdict>> groups = new LinkedHashMap<>();
                for (DeviceVerdict d : v.devices()) {
                    groups.computeIfAbsent(d.reason().label() + "\u0000" + d.detail(), k -> new ArrayList<>()).add(d);
                }
                for (List<DeviceVerdict> g : groups.values()) {
                    DeviceVerdict d = g.get(0);
                    rows.add(new String[] {Integer.toString(g.size()), d.device(), d.reason().label(), d.detail()});
                }
            }
            int[] width = new int[3];
            for (String[] row : rows) {
                for (int i = 0; i < 3; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder("  ");
                for (int i = 0; i < 3; i++) {
                    line.append(row[i]).append(" ".repeat(width[i] - row[i].length() + 2));
                }
                line.append(row[3]);
                b.append(line.toString().stripTrailing()).append('\n');
            }
        }
        return b.toString();
    }

    static String json(ClaimReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("claim", r.claim());
        m.put("satisfiable", r.satisfiable());
        m.put("verdict", r.verdict());
        m.put("cause", r.cause().label());
        m.put("nodes", r.nodes());
        m.put("problems", r.problems());
        List<Object> requests = new ArrayList<>();
        for (RequestVerdict v : r.requests()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("name", v.name());
            if (v.deviceClass() != null) {
                rm.put("deviceClassName", v.deviceClass());
            }
            rm.put("satisfiable", v.satisfiable());
            rm.put("summary", v.summary());
            rm.put("matching", (long) v.matching());
            rm.put("nearMisses", v.nearMisses());
            List<Object> devices = new ArrayList<>();
            for (DeviceVerdict d : v.devices()) {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("device", d.device());
                dm.put("node", d.where());
                dm.put("reason", d.reason().name());
                dm.put("detail", d.detail());
                devices.add(dm);
            }
            rm.put("devices", devices);
            requests.add(rm);
        }
        m.put("requests", requests);
        return JsonFiles.pretty(m) + "\n";
    }
}
