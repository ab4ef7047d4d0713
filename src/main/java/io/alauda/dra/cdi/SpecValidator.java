package io.alauda.dra.cdi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a spec against the rules a CDI runtime enforces when it loads the file (the Go library's default
 * validator and version check), plus two we hold our own files to: hook paths and device-node paths are absolute.
 * Every problem is reported, each with the place in the spec and the offending value.
 */
public final class SpecValidator {

    public static final Set<String> HOOK_NAMES =
            Set.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
    private static final Set<String> NODE_TYPES = Set.of("b", "c", "u", "p");
    /** Spec files are small; this bounds what a planted file can make us read. */
    static final long MAX_FILE_BYTES = 4L * 1024 * 1024;
    private static final int MAX_ANNOTATION_BYTES = 256 * 1024;
    private static final Pattern ANNOTATION_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private SpecValidator() {
    }

    public static void validate(Spec spec) throws CdiException {
        List<String> problems = problems(spec);
        if (!problems.isEmpty()) {
            throw new CdiException("invalid CDI spec: " + String.join("; ", problems));
        }
    }

    /** Reads a spec file strictly and validates it; the file must be a regular file named {@code *.json}. */
    public static Spec validateFile(Path file) throws CdiException {
        if (!file.getFileName().toString().endsWith(".json")) {
            throw new CdiException("CDI spec file " + file + " must have the extension .json");
        }
        Spec spec = SpecJson.fromJson(readUtf8(file));
        List<String> problems = problems(spec);
        if (!problems.isEmpty()) {
            throw new CdiException("invalid CDI spec " + file + ": " + String.join("; ", problems));
        }
        return spec;
    }

    public static List<String> problems(Spec spec) {
        List<String> problems = new ArrayList<>();
        checkVersion(spec, problems);
        CdiNames.kindProblem(spec.kind()).ifPresent(problems::add);
        checkAnnotations("annotations", spec.annotations(), problems);
        checkEdits("containerEdits", spec.containerEdits(), problems);
        if (spec.devices().isEmpty()) {
            problems.add("devices: a spec needs at least one device");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < spec.devices().size(); i++) {
            Device device = spec.devices().get(i);
            String where = "devices[" + i + "]";
            if (device == null) {
                problems.add(where + ": is null");
                continue;
            }
            CdiNames.deviceNameProblem(device.name()).ifPresent(p -> problems.add(where + ": " + p));
            if (device.name() != null && !seen.add(device.name())) {
                problems.add(where + ": device name '" + device.name() + "' is used twice; names must be unique");
            }
            checkAnnotations(where + ".annotations", device.annotations(), problems);
            if (device.containerEdits().isEmpty()) {
                problems.add(where + ": device '" + device.name() + "' has no container edits; a runtime rejects it");
            }
            checkEdits(where + ".containerEdits", device.containerEdits(), problems);
        }
        return problems;
    }

    private static void checkVersion(Spec spec, List<String> problems) {
        String declared = spec.cdiVersion();
        if (declared == null || declared.isEmpty()) {
            problems.add("cdiVersion is missing; use " + CdiVersions.minimumFor(spec));
            return;
        }
        if (!CdiVersions.isKnown(declared)) {
            problems.add("cdiVersion '" + declared + "' is not a CDI version; known: "
                    + String.join(", ", CdiVersions.KNOWN));
            return;
        }
        String minimum = CdiVersions.minimumFor(spec);
        if (CdiVersions.compare(declared, minimum) < 0) {
            problems.add("cdiVersion " + declared + " is too low for this content; it must be at least " + minimum);
        }
    }

    private static void checkAnnotations(String where, Map<String, String> annotations, List<String> problems) {
        long size = 0;
        for (Map.Entry<String, String> entry : annotations.entrySet()) {
            keyProblem(entry.getKey()).ifPresent(p -> problems.add(where + ": " + p));
            size += entry.getKey().length() + (entry.getValue() == null ? 0 : entry.getValue().length());
        }
        if (size > MAX_ANNOTATION_BYTES) {
            problems.add(where + ": annotations take " + size + " bytes; at most " + MAX_ANNOTATION_BYTES + " are allowed");
        }
    }

    /** Annotation keys follow Kubernetes qualified names: an optional DNS-subdomain prefix and '/', then a name. */
    private static Optional<String> keyProblem(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of("annotation key '" + key + "' has an invalid prefix; it must be a "
                        + "lower-case DNS subdomain such as example.com");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !ANNOTATION_NAME.matcher(name).matches()) {
            return Optional.of("annotation key '" + key + "' has an invalid name; it must be at most 63 "
                    + "letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    private static void checkEdits(String where, ContainerEdits edits, List<String> problems) {
        checkEnv(where + ".env", edits.env(), problems);
        for (int i = 0; i < edits.deviceNodes().size(); i++) {
            checkDeviceNode(where + ".deviceNodes[" + i + "]", edits.deviceNodes().get(i), problems);
        }
        for (int i = 0; i < edits.hooks().size(); i++) {
            checkHook(where + ".hooks[" + i + "]", edits.hooks().get(i), problems);
        }
        for (int i = 0; i < edits.mounts().size(); i++) {
            checkMount(where + ".mounts[" + i + "]", edits.mounts().get(i), problems);
        }
        for (int i = 0; i < edits.additionalGids().size(); i++) {
            if (edits.additionalGids().get(i) == null) {
                problems.add(where + ".additionalGids[" + i + "]: is null");
            }
        }
    }

    private static void checkEnv(String where, List<String> env, List<String> problems) {
        for (int i = 0; i < env.size(); i++) {
            String entry = env.get(i);
            if (entry == null || entry.indexOf('=') <= 0) {
                problems.add(where + "[" + i + "]: '" + entry + "' must be NAME=VALUE with a non-empty NAME");
            }
        }
    }

    private static void checkDeviceNode(String where, DeviceNode node, List<String> problems) {
        if (node == null) {
            problems.add(where + ": is null");
            return;
        }
        if (node.path() == null || node.path().isEmpty()) {
            problems.add(where + ": path is missing");
        } else if (!node.path().startsWith("/")) {
            problems.add(where + ": path '" + node.path() + "' must be absolute");
        }
        if (node.hostPath() != null && !node.hostPath().isEmpty() && !node.hostPath().startsWith("/")) {
            problems.add(where + ": hostPath '" + node.hostPath() + "' must be absolute");
        }
        if (node.type() != null && !node.type().isEmpty() && !NODE_TYPES.contains(node.type())) {
            problems.add(where + ": type '" + node.type() + "' must be one of b, c, u, p (or left out)");
        }
        if (node.permissions() != null) {
            for (char c : node.permissions().toCharArray()) {
                if (c != 'r' && c != 'w' && c != 'm') {
                    problems.add(where + ": permissions '" + node.permissions() + "' may only contain r, w and m");
                    break;
                }
            }
        }
    }

    private static void checkHook(String where, Hook hook, List<String> problems) {
        if (hook == null) {
            problems.add(where + ": is null");
            return;
        }
        if (!HOOK_NAMES.contains(hook.hookName())) {
            problems.add(where + ": hookName '" + hook.hookName() + "' must be one of "
                    + String.join(", ", new TreeSet<>(HOOK_NAMES)));
        }
        if (hook.path() == null || hook.path().isEmpty()) {
            problems.add(where + ": path is missing");
        } else if (!hook.path().startsWith("/")) {
            problems.add(where + ": path '" + hook.path() + "' must be absolute");
        }
        checkEnv(where + ".env", hook.env(), problems);
        if (hook.timeout() != null && hook.timeout() <= 0) {
            problems.add(where + ": timeout " + hook.timeout() + " must be greater than zero");
        }
    }

    private static void checkMount(String where, Mount mount, List<String> problems) {
        if (mount == null) {
            problems.add(where + ": is null");
            return;
        }
        if (mount.hostPath() == null || mount.hostPath().isEmpty()) {
            problems.add(where + ": hostPath is missing");
        }
        if (mount.containerPath() == null || mount.containerPath().isEmpty()) {
            problems.add(where + ": containerPath is missing");
        }
    }

    static String readUtf8(Path file) throws CdiException {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new CdiException("CDI spec file " + file + " is missing or not a regular file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new CdiException("CDI spec file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CdiException("CDI spec file " + file + " is not valid UTF-8");
        } catch (IOException e) {
            throw new CdiException("cannot read CDI spec file " + file + ": " + e, e);
        }
    }
}
