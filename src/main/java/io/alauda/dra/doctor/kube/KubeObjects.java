package io.alauda.dra.doctor.kube;

import io.alauda.dra.doctor.Allocation;
import io.alauda.dra.doctor.AttributeValue;
import io.alauda.dra.doctor.Claim;
import io.alauda.dra.doctor.Constraint;
import io.alauda.dra.doctor.Device;
import io.alauda.dra.doctor.DeviceClass;
import io.alauda.dra.doctor.Node;
import io.alauda.dra.doctor.NodeSelector;
import io.alauda.dra.doctor.Quantity;
import io.alauda.dra.doctor.Request;
import io.alauda.dra.doctor.Taint;
import io.alauda.dra.doctor.Toleration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps resource.k8s.io objects (v1, v1beta2 and v1beta1: ResourceClaim, ResourceClaimTemplate, ResourceSlice,
 * DeviceClass) and core Nodes into the doctor's records. Works on the JSON tree of an object, so typed fabric8
 * objects ({@link #tree}), generic ones and parsed YAML files all go the same way. Bad input raises
 * {@link InputException} naming the object, the field path and what is expected.
 */
public final class KubeObjects {

    private KubeObjects() {
    }

    /** The JSON tree of a fabric8 object (typed or generic). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> tree(HasMetadata object) {
        return Serialization.jsonMapper().convertValue(object, Map.class);
    }

    public static String kind(Map<String, Object> o) {
        return o.get("kind") instanceof String s ? s : "";
    }

    static String name(Map<String, Object> o) {
        Map<String, Object> meta = map(o.get("metadata"));
        String ns = meta.get("namespace") instanceof String s ? s + "/" : "";
        return kind(o) + " " + ns + (meta.get("name") instanceof String n ? n : "(no name)");
    }

    // ---- claims ----

    /** A ResourceClaim, or a ResourceClaimTemplate's claim spec (named after the template). */
    public static Claim claim(Map<String, Object> o) throws InputException {
        String what = name(o);
        Map<String, Object> meta = map(o.get("metadata"));
        String namespace = meta.get("namespace") instanceof String s ? s : "default";
        String claimName = meta.get("name") instanceof String s ? s : null;
        Map<String, Object> spec = map(o.get("spec"));
        String prefix = "spec.";
        if (kind(o).equals("ResourceClaimTemplate")) {
            spec = map(spec.get("spec"));
            prefix = "spec.spec.";
        } else if (!kind(o).equals("ResourceClaim")) {
            throw new InputException(what + ": kind must be ResourceClaim or ResourceClaimTemplate");
        }
        Map<String, Object> devices = map(spec.get("devices"));
        List<Object> requests = list(devices.get("requests"));
        if (requests.isEmpty()) {
            throw new InputException(what + ": " + prefix + "devices.requests is empty; a claim needs at least one request");
        }
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            out.add(request(what, prefix + "devices.requests[" + i + "]", map(requests.get(i)), true));
        }
        List<Constraint> constraints = new ArrayList<>();
        List<Object> cs = list(devices.get("constraints"));
        for (int i = 0; i < cs.size(); i++) {
            Map<String, Object> c = map(cs.get(i));
            String path = prefix + "devices.constraints[" + i + "]";
            if (!(c.get("matchAttribute") instanceof String attr) || attr.isEmpty()) {
                throw new InputException(what + ": " + path + ".matchAttribute is missing; only matchAttribute "
                        + "constraints are known (for example gpu.nvidia.com/productName)");
            }
            List<String> names = new ArrayList<>();
            for (Object n : list(c.get("requests"))) {
                names.add(String.valueOf(n));
            }
            constraints.add(new Constraint(names, attr));
        }
        return new Claim(namespace, kind(o).equals("ResourceClaimTemplate") ? claimName + " (template)" : claimName, out,
                constraints);
    }

    private static Request request(String what, String path, Map<String, Object> r, boolean top) throws InputException {
        if (!(r.get("name") instanceof String name) || name.isEmpty()) {
            throw new InputException(what + ": " + path + ".name is missing; every request needs a name");
        }
        List<Object> first = list(r.get("firstAvailable"));
        if (top && !first.isEmpty()) {
            List<Request> subs = new ArrayList<>();
            for (int i = 0; i < first.size(); i++) {
                subs.add(request(what, path + ".firstAvailable[" + i + "]", map(first.get(i)), false));
            }
            return new Request(name, null, List.of(), Request.AllocationMode.EXACT_COUNT, 0, false, Map.of(), List.of(), subs);
        }
        Map<String, Object> body = r;
        String bodyPath = path;
        if (r.get("exactly") instanceof Map<?, ?>) {
            body = map(r.get("exactly"));
            bodyPath = path + ".exactly";
        }
        if (!(body.get("deviceClassName") instanceof String cls) || cls.isEmpty()) {
            throw new InputException(what + ": " + bodyPath + ".deviceClassName is missing; name a DeviceClass, "
                    + "for example gpu.nvidia.com (resource.k8s.io/v1 puts it under exactly:, v1beta1 directly in the request)");
        }
        List<String> selectors = new ArrayList<>();
        List<Object> sel = list(body.get("selectors"));
        for (int i = 0; i < sel.size(); i++) {
            Object expr = map(map(sel.get(i)).get("cel")).get("expression");
            if (!(expr instanceof String e) || e.isBlank()) {
                throw new InputException(what + ": " + bodyPath + ".selectors[" + i + "].cel.expression is missing; "
                        + "write selectors as - cel: {expression: \"...\"}");
            }
            selectors.add(e);
        }
        String modeText = body.get("allocationMode") instanceof String m ? m : "ExactCount";
        Request.AllocationMode mode = switch (modeText) {
            case "ExactCount" -> Request.AllocationMode.EXACT_COUNT;
            case "All" -> Request.AllocationMode.ALL;
            default -> throw new InputException(what + ": " + bodyPath + ".allocationMode is '" + modeText
                    + "'; it must be ExactCount or All");
        };
        long count = 1;
        if (body.containsKey("count") && body.get("count") != null) {
            if (!(body.get("count") instanceof Number n) || n.longValue() < 1 || n.doubleValue() != n.longValue()) {
                throw new InputException(what + ": " + bodyPath + ".count is '" + body.get("count")
                        + "'; it must be a positive integer");
            }
            count = ((Number) body.get("count")).longValue();
        }
        boolean admin = Boolean.TRUE.equals(body.get("adminAccess"));
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map(map(body.get("capacity")).get("requests")).entrySet()) {
            capacity.put(e.getKey(), quantity(what, bodyPath + ".capacity.requests." + e.getKey(), e.getValue()));
        }
        List<Toleration> tolerations = new ArrayList<>();
        for (Object t : list(body.get("tolerations"))) {
            Map<String, Object> tm = map(t);
            tolerations.add(new Toleration(str(tm.get("key")), tm.get("operator") instanceof String op ? op : "Equal",
                    str(tm.get("value")), str(tm.get("effect"))));
        }
        return new Request(name, cls, selectors, mode, count, admin, capacity, tolerations, List.of());
    }

    /** The devices a claim holds (status.allocation.devices.results), named {@code namespace/name}. */
    public static List<Allocation> allocations(Map<String, Object> claim) {
        Map<String, Object> meta = map(claim.get("metadata"));
        String ref = meta.get("namespace") + "/" + meta.get("name");
        List<Allocation> out = new ArrayList<>();
        for (Object r : list(map(map(map(claim.get("status")).get("allocation")).get("devices")).get("results"))) {
            Map<String, Object> m = map(r);
            if (m.get("driver") instanceof String d && m.get("pool") instanceof String p && m.get("device") instanceof String dev) {
                out.add(new Allocation(ref, d, p, dev, Boolean.TRUE.equals(m.get("adminAccess"))));
            }
        }
        return out;
    }

    // ---- classes ----

    public static DeviceClass deviceClass(Map<String, Object> o) throws InputException {
        String what = name(o);
        if (!(map(o.get("metadata")).get("name") instanceof String name)) {
            throw new InputException(what + ": metadata.name is missing");
        }
        List<String> selectors = new ArrayList<>();
        List<Object> sel = list(map(o.get("spec")).get("selectors"));
        for (int i = 0; i < sel.size(); i++) {
            Object expr = map(map(sel.get(i)).get("cel")).get("expression");
            if (!(expr instanceof String e)) {
                throw new InputException(what + ": spec.selectors[" + i + "].cel.expression is missing");
            }
            selectors.add(e);
        }
        return new DeviceClass(name, selectors);
    }

    // ---- slices ----

    /** The devices of one ResourceSlice (v1 and v1beta2: devices[].attributes; v1beta1: devices[].basic.attributes). */
    public static List<Device> devices(Map<String, Object> slice) throws InputException {
        String what = name(slice);
        Map<String, Object> spec = map(slice.get("spec"));
        if (!(spec.get("driver") instanceof String driver) || driver.isEmpty()) {
            throw new InputException(what + ": spec.driver is missing");
        }
        String pool = map(spec.get("pool")).get("name") instanceof String p ? p : null;
        if (pool == null) {
            throw new InputException(what + ": spec.pool.name is missing");
        }
        String nodeName = str(spec.get("nodeName"));
        NodeSelector selector = nodeSelector(what, "spec.nodeSelector", spec.get("nodeSelector"));
        boolean allNodes = Boolean.TRUE.equals(spec.get("allNodes"));
        List<Device> out = new ArrayList<>();
        List<Object> devices = list(spec.get("devices"));
        for (int i = 0; i < devices.size(); i++) {
            String path = "spec.devices[" + i + "]";
            Map<String, Object> d = map(devices.get(i));
            if (!(d.get("name") instanceof String devName)) {
                throw new InputException(what + ": " + path + ".name is missing");
            }
            Map<String, Object> body = d.get("basic") instanceof Map<?, ?> ? map(d.get("basic")) : d;
            String bodyPath = d.get("basic") instanceof Map<?, ?> ? path + ".basic" : path;
            Map<String, AttributeValue> attributes = new LinkedHashMap<>();
            for (Map.Entry<String, Object> a : map(body.get("attributes")).entrySet()) {
                attributes.put(a.getKey(), attribute(what, bodyPath + ".attributes." + a.getKey(), map(a.getValue())));
            }
            Map<String, Quantity> capacity = new LinkedHashMap<>();
            for (Map.Entry<String, Object> c : map(body.get("capacity")).entrySet()) {
                Object v = c.getValue() instanceof Map<?, ?> ? map(c.getValue()).get("value") : c.getValue();
                capacity.put(c.getKey(), quantity(what, bodyPath + ".capacity." + c.getKey() + ".value", v));
            }
            List<Taint> taints = new ArrayList<>();
            for (Object t : list(body.get("taints"))) {
                Map<String, Object> tm = map(t);
                taints.add(new Taint(str(tm.get("key")), str(tm.get("value")), str(tm.get("effect"))));
            }
            // v1 perDeviceNodeSelection: the device says where it is.
            String devNode = body.get("nodeName") instanceof String n ? n : nodeName;
            NodeSelector devSelector = body.get("nodeSelector") != null
                    ? nodeSelector(what, bodyPath + ".nodeSelector", body.get("nodeSelector")) : selector;
            boolean devAll = body.containsKey("allNodes") ? Boolean.TRUE.equals(body.get("allNodes")) : allNodes;
            out.add(new Device(driver, pool, devName, devNode, devSelector, devAll, attributes, capacity, taints));
        }
        return out;
    }

    private static AttributeValue attribute(String what, String path, Map<String, Object> a) throws InputException {
        try {
            if (a.get("string") instanceof String s) {
                return AttributeValue.string(s);
            }
            if (a.get("int") instanceof Number n) {
                return AttributeValue.integer(n.longValue());
            }
            if (a.get("bool") instanceof Boolean b) {
                return AttributeValue.bool(b);
            }
            if (a.get("version") != null) {
                return AttributeValue.version(String.valueOf(a.get("version")));
            }
        } catch (IllegalArgumentException e) {
            throw new InputException(what + ": " + path + ".version: " + e.getMessage());
        }
        if (a.get("string") != null) {
            return AttributeValue.string(String.valueOf(a.get("string")));
        }
        throw new InputException(what + ": " + path + " must have one of string, int, bool or version");
    }

    private static Quantity quantity(String what, String path, Object v) throws InputException {
        try {
            return Quantity.parse(v == null ? null : String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw new InputException(what + ": " + path + ": " + e.getMessage());
        }
    }

    private static NodeSelector nodeSelector(String what, String path, Object o) throws InputException {
        if (o == null) {
            return null;
        }
        List<NodeSelector.Term> terms = new ArrayList<>();
        for (Object t : list(map(o).get("nodeSelectorTerms"))) {
            Map<String, Object> tm = map(t);
            terms.add(new NodeSelector.Term(requirements(tm.get("matchExpressions")), requirements(tm.get("matchFields"))));
        }
        if (terms.isEmpty()) {
            throw new InputException(what + ": " + path + ".nodeSelectorTerms is empty");
        }
        return new NodeSelector(terms);
    }

    private static List<NodeSelector.Requirement> requirements(Object o) {
        List<NodeSelector.Requirement> out = new ArrayList<>();
        for (Object r : list(o)) {
            Map<String, Object> m = map(r);
            List<String> values = new ArrayList<>();
            list(m.get("values")).forEach(v -> values.add(String.valueOf(v)));
            out.add(new NodeSelector.Requirement(str(m.get("key")), str(m.get("operator")), values));
        }
        return out;
    }

    // ---- nodes and namespaces ----

    public static Node node(Map<String, Object> o) {
        Map<String, Object> meta = map(o.get("metadata"));
        Map<String, String> labels = new LinkedHashMap<>();
        map(meta.get("labels")).forEach((k, v) -> labels.put(k, String.valueOf(v)));
        return new Node(String.valueOf(meta.get("name")), labels);
    }

    /** Whether a Namespace allows adminAccess requests (label resource.kubernetes.io/admin-access: "true"). */
    public static boolean adminAccessNamespace(Map<String, Object> ns) {
        return "true".equals(String.valueOf(map(map(ns.get("metadata")).get("labels")).get("resource.kubernetes.io/admin-access")));
    }

    // ---- tree helpers ----

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
