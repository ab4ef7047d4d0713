package io.alauda.dra.nvml.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.alauda.dra.files.AtomicFileWriter;
import io.alauda.dra.files.JsonFiles;
import io.alauda.dra.nvml.DiscoveryException;
import io.alauda.dra.nvml.NvmlException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every raw answer discovery got from NVML (and from sysfs), filed by call, so that a node's hardware can be replayed
 * where there is none ({@link NvmlReplay}). The JSON form, small enough to read and to write by hand:
 *
 * <pre>{@code
 * {
 *   "format": "alauda.io/nvml-recording/v1",
 *   "nvml": {
 *     "nvmlDeviceGetName(gpu=0)": {"value": "NVIDIA H100 80GB HBM3"},
 *     "nvmlDeviceGetBrand(gpu=1)": {"error": "NVML_ERROR_NOT_SUPPORTED", "code": 3, "message": "Not Supported"},
 *     "nvmlDeviceGetMemoryInfo(gpu=0)": {"value": {"total": 85520809984, "free": 85018411008, "used": 502398976}}
 *   },
 *   "sysfs": {
 *     "bus/pci/devices/0000:65:00.0": "devices/pci0000:64/0000:64:01.0/0000:65:00.0",
 *     "bus/pci/devices/0000:65:00.0/numa_node": "0\n"
 *   }
 * }
 * }</pre>
 *
 * Struct answers use the C field names of nvml.h. A void call that succeeded is {@code {}}. An error needs only
 * {@code "error"}; {@code code} and {@code message} are kept for readers. Sysfs links are stored relative to the
 * sysfs root; a path that did not exist is {@code null}.
 */
public final class Recording {

    public static final String FORMAT = "alauda.io/nvml-recording/v1";

    /** Readable by all: a recording holds nothing secret and is meant to be copied off the node. */
    private static final int FILE_MODE = 0644;

    private final String source;
    private final Map<String, Object> about = new LinkedHashMap<>();
    private final Map<String, Object> nvml = new LinkedHashMap<>();
    private final Map<String, Object> sysfs = new LinkedHashMap<>();

    private Recording(String source) {
        this.source = source;
    }

    /** An empty recording to be filled by {@link NvmlRecorder} and {@link SysfsRecorder}. */
    public static Recording empty() {
        return new Recording("recording");
    }

    /** @throws DiscoveryException naming the file and the problem when it is missing or malformed */
    public static Recording read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DiscoveryException("recording " + file + " does not exist; pass the file written by 'discover --record'");
        } catch (IOException e) {
            throw new DiscoveryException("cannot read recording " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** @param source names the recording in error messages, usually its file name */
    public static Recording parse(String json, String source) {
        Object root;
        try {
            root = JsonFiles.parse(json);
        } catch (JsonProcessingException e) {
            throw new DiscoveryException("recording " + source + " is not valid JSON: " + JsonFiles.problem(e));
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new DiscoveryException("recording " + source + " must be a JSON object with \"format\" and \"nvml\"");
        }
        Object format = map.get("format");
        if (!FORMAT.equals(format)) {
            throw new DiscoveryException("recording " + source + " has format " + JsonFiles.inline(format) + "; this discover reads \""
                    + FORMAT + "\". Record it again with this version of discover");
        }
        Recording recording = new Recording(source);
        recording.about.putAll(section(map, "about", source));
        recording.nvml.putAll(section(map, "nvml", source));
        recording.sysfs.putAll(section(map, "sysfs", source));
        for (Map.Entry<String, Object> entry : recording.nvml.entrySet()) {
            if (!(entry.getValue() instanceof Map)) {
                throw new DiscoveryException("recording " + source + ": answer for " + entry.getKey()
                        + " must be an object like {\"value\": ...} or {\"error\": \"NVML_ERROR_...\"}");
            }
        }
        for (Map.Entry<String, Object> entry : recording.sysfs.entrySet()) {
            if (entry.getValue() != null && !(entry.getValue() instanceof String)) {
                throw new DiscoveryException("recording " + source + ": sysfs entry " + entry.getKey() + " must be a string or null");
            }
        }
        return recording;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<?, ?> root, String name, String source) {
        Object section = root.get(name);
        if (section == null) {
            return Map.of();
        }
        if (!(section instanceof Map)) {
            throw new DiscoveryException("recording " + source + ": \"" + name + "\" must be a JSON object");
        }
        return (Map<String, Object>) section;
    }

    public String source() {
        return source;
    }

    /** Free-form facts about where the recording was made (driver root, library path); not used for replay. */
    public Map<String, Object> about() {
        return about;
    }

    void putValue(String key, Object value) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if (value != null) {
            answer.put("value", value);
        }
        nvml.put(key, answer);
    }

    void putError(String key, NvmlException e) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("error", e.codeName());
        answer.put("code", (long) e.code());
        if (e.description() != null) {
            answer.put("message", e.description());
        }
        nvml.put(key, answer);
    }

    /** The recorded answer object for a call, if it was recorded. */
    @SuppressWarnings("unchecked")
    Optional<Map<String, Object>> answer(String key) {
        return Optional.ofNullable((Map<String, Object>) nvml.get(key));
    }

    void putSysfs(String path, String value) {
        sysfs.put(path, value);
    }

    /** Empty when the path was recorded as absent or not recorded at all: sysfs facts are optional. */
    Optional<String> sysfs(String path) {
        return Optional.ofNullable((String) sysfs.get(path));
    }

    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        if (!about.isEmpty()) {
            root.put("about", about);
        }
        root.put("nvml", nvml);
        root.put("sysfs", sysfs);
        return JsonFiles.fitted(root) + "\n";
    }

    /** Writes atomically, so an interrupted run never leaves half a recording. The directory must exist. */
    public void write(Path file) throws IOException {
        try {
            new AtomicFileWriter(FILE_MODE).write(file, toJson().getBytes(StandardCharsets.UTF_8));
        } catch (AtomicFileWriter.DirectorySyncException e) {
            // Some file systems refuse to sync a directory; the rename itself is still atomic there, and a
            // recording lost to a power cut is simply made again.
        }
    }
}
