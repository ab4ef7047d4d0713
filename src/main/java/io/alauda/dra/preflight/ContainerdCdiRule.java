package io.alauda.dra.preflight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The seed's prerequisite "the container runtime (such as containerd) must have CDI enabled": containerd 2.0 and later
 * enable it by default, 1.7 needs {@code enable_cdi = true} in the CRI plugin's table, older ones cannot. The version
 * comes from the Node ({@code status.nodeInfo.containerRuntimeVersion}), the settings from the host's
 * {@code /etc/containerd}, mounted read-only. Runtimes other than containerd are reported as unknown, not as errors.
 */
public final class ContainerdCdiRule {

    /** The seed's own steps for containerd 1.7, word for word where it has them. */
    static final String SEED_FIX = "Fix (on this node): add to /etc/containerd/config.toml"
            + " [plugins.\"io.containerd.grpc.v1.cri\"] enable_cdi = true, run systemctl restart containerd, and check with"
            + " journalctl -u containerd | grep \"EnableCDI:true\"";
    static final String HOST_CONFIG_DIR = "/etc/containerd";
    static final String CONFIG_FILE = "config.toml";
    /** Where containerd 1.7 (config version 2, and version 1's short name) and 2.x (version 3) keep the setting. */
    private static final List<String> CRI_TABLES_1_7 = List.of("io.containerd.grpc.v1.cri", "cri");
    private static final List<String> CRI_TABLES_2 = List.of("io.containerd.cri.v1.runtime", "io.containerd.grpc.v1.cri");
    private static final TomlMapper TOML = new TomlMapper();

    private ContainerdCdiRule() {
    }

    /**
     * @param runtimeVersion the Node's {@code containerRuntimeVersion}, e.g. {@code containerd://1.7.27}; null if unknown
     * @param configDir      the host's {@code /etc/containerd} as this container sees it
     * @param cdiRoot        where the plugin writes CDI specs, which containerd must read
     */
    public static Finding check(String runtimeVersion, Path configDir, Path cdiRoot) {
        if (runtimeVersion == null || runtimeVersion.isBlank()) {
            return unknown("RuntimeUnknown", "the Node reports no container runtime version; cannot check that CDI is enabled");
        }
        int scheme = runtimeVersion.indexOf("://");
        String runtime = scheme < 0 ? runtimeVersion : runtimeVersion.substring(0, scheme);
        if (!runtime.equals("containerd")) {
            return unknown("RuntimeNotChecked", "container runtime " + runtimeVersion + " is not containerd, whose settings"
                    + " are the only ones checked here; make sure it has CDI enabled (recent CRI-O releases enable it by"
                    + " default)");
        }
        String version = runtimeVersion.substring(scheme + 3);
        int[] majorMinor = majorMinor(version);
        if (majorMinor == null) {
            return unknown("RuntimeVersionUnknown", "cannot read containerd's version from '" + runtimeVersion
                    + "'; cannot check that CDI is enabled");
        }
        boolean two = majorMinor[0] >= 2;
        if (!two && (majorMinor[0] < 1 || majorMinor[1] < 7)) {
            return failed("ContainerdTooOld", "containerd " + version + " cannot apply CDI specs, so pods would start"
                    + " without their GPUs. Fix: upgrade containerd to 2.0 or later (CDI is on by default) or to 1.7 with CDI"
                    + " enabled");
        }
        Optional<JsonNode> config;
        try {
            config = read(configDir);
        } catch (IOException | RuntimeException e) {
            return unknown("ContainerdConfigUnreadable", "cannot read containerd's config under " + HOST_CONFIG_DIR + ": "
                    + safeReason(e) + (two ? "" : "; containerd 1.7 needs CDI enabled there. " + SEED_FIX));
        }
        if (config.isEmpty()) {
            return two ? Finding.passed(Check.CONTAINER_RUNTIME_CDI, "CdiEnabledByDefault", "containerd " + version
                    + " enables CDI by default (" + HOST_CONFIG_DIR + " is not visible to this pod, so no setting was read)")
                    : unknown("ContainerdConfigNotMounted", "containerd " + version + " needs CDI enabled, and the host's "
                    + HOST_CONFIG_DIR + " is not visible to this pod (not mounted, or containerd is configured elsewhere,"
                    + " as on k3s and RKE2), so it was not checked. " + SEED_FIX);
        }
        JsonNode cri = criTable(config.get(), two ? CRI_TABLES_2 : CRI_TABLES_1_7);
        JsonNode enable = cri.path("enable_cdi");
        boolean enabled = enable.isBoolean() ? enable.asBoolean() : two;
        if (!enabled) {
            return failed("ContainerdCdiDisabled", two
                    ? "containerd " + version + " has CDI turned off (enable_cdi = false in " + HOST_CONFIG_DIR
                      + "), so pods would start without their GPUs. Fix: remove that line or set it to true, then run"
                      + " systemctl restart containerd"
                    : "containerd " + version + " does not have CDI enabled (no enable_cdi = true in " + HOST_CONFIG_DIR
                      + "/" + CONFIG_FILE + "), so pods would start without their GPUs. " + SEED_FIX);
        }
        JsonNode specDirs = cri.path("cdi_spec_dirs");
        if (specDirs.isArray() && !contains(specDirs, cdiRoot)) {
            return failed("CdiSpecDirNotRead", "containerd " + version + " reads CDI specs only from " + specDirs
                    + " (cdi_spec_dirs), not from " + cdiRoot + " where this driver writes them. Fix: add \"" + cdiRoot
                    + "\" to cdi_spec_dirs in " + HOST_CONFIG_DIR + "/" + CONFIG_FILE + ", then run systemctl restart"
                    + " containerd");
        }
        return Finding.passed(Check.CONTAINER_RUNTIME_CDI, two && !enable.isBoolean() ? "CdiEnabledByDefault" : "CdiEnabled",
                "containerd " + version + " has CDI enabled");
    }

    /**
     * Empty when the folder is not visible at all; an empty table when it is but has no config.toml, since containerd
     * then runs on its defaults.
     */
    private static Optional<JsonNode> read(Path configDir) throws IOException {
        if (configDir == null || !Files.isDirectory(configDir)) {
            return Optional.empty();
        }
        Path main = configDir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(main)) {
            return Optional.of(TOML.createObjectNode());
        }
        JsonNode config = TOML.readTree(main.toFile());
        // Imports are merged under the main file; the main file's own settings win, as containerd merges them.
        List<JsonNode> layers = new ArrayList<>();
        for (JsonNode pattern : config.path("imports")) {
            for (Path imported : imported(configDir, pattern.asText())) {
                layers.add(TOML.readTree(imported.toFile()));
            }
        }
        layers.add(config);
        return Optional.of(merge(layers));
    }

    /** Imports under the host's /etc/containerd, resolved in the mounted copy; others are out of this pod's sight. */
    private static List<Path> imported(Path configDir, String pattern) throws IOException {
        String relative = pattern.startsWith(HOST_CONFIG_DIR + "/") ? pattern.substring(HOST_CONFIG_DIR.length() + 1)
                : pattern.startsWith("/") ? null : pattern;
        if (relative == null || relative.contains("..")) {
            return List.of();
        }
        Path resolved = configDir.resolve(relative);
        Path folder = resolved.getParent();
        List<Path> files = new ArrayList<>();
        if (folder == null || !Files.isDirectory(folder)) {
            return files;
        }
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(folder, resolved.getFileName().toString())) {
            matches.forEach(p -> {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            });
        }
        files.sort(null);
        return files;
    }

    private static JsonNode merge(List<JsonNode> layers) {
        ObjectNode merged = TOML.createObjectNode();
        for (JsonNode layer : layers) {
            deepMerge(merged, layer);
        }
        return merged;
    }

    private static void deepMerge(ObjectNode into, JsonNode from) {
        from.fields().forEachRemaining(e -> {
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode target && e.getValue().isObject()) {
                deepMerge(target, e.getValue());
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
    }

    private static JsonNode criTable(JsonNode config, List<String> names) {
        for (String name : names) {
            JsonNode table = config.path("plugins").path(name);
            if (table.has("enable_cdi") || table.has("cdi_spec_dirs")) {
                return table;
            }
        }
        return TOML.missingNode();
    }

    private static boolean contains(JsonNode dirs, Path cdiRoot) {
        for (JsonNode dir : dirs) {
            if (Path.of(dir.asText()).normalize().equals(cdiRoot.normalize())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the file is broken, never what it says there: containerd's config can hold registry credentials, and
     * this text goes into status, events and logs.
     */
    private static String safeReason(Exception e) {
        if (e instanceof JsonProcessingException parse && parse.getLocation() != null) {
            return "not valid TOML at line " + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr();
        }
        return e instanceof JsonProcessingException ? "not valid TOML" : e.getClass().getSimpleName();
    }

    private static int[] majorMinor(String version) {
        String v = version.startsWith("v") ? version.substring(1) : version;
        String[] parts = v.split("[.\\-+]");
        if (parts.length < 2) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Finding unknown(String reason, String message) {
        return new Finding(Check.CONTAINER_RUNTIME_CDI, Outcome.UNKNOWN, reason, message);
    }

    /** Failures block devices until the plugin checks again, which it does when it starts. */
    private static Finding failed(String reason, String message) {
        return new Finding(Check.CONTAINER_RUNTIME_CDI, Outcome.FAILED, reason, message
                + ". Then delete this node's kubelet-plugin pod so that it checks again");
    }
}
