package io.alauda.dra.cdi;

import io.alauda.dra.device.MigInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the driver files a GPU container needs under a driver root (see {@link DriverRoots}): device nodes,
 * versioned libraries, utilities, GSP firmware and IPC sockets, in the same places nvidia-container-toolkit's
 * {@code nvcdi} looks. A spec reflects the node at the moment it is written: device nodes and IPC sockets are
 * looked up every time, so one that appears late (nvidia-uvm is created on first use, persistenced may start after
 * the plugin) is never missing from later specs. The driver's files (libraries, utilities, configs, firmware) are
 * read once and kept while every directory they were read from is unchanged ({@link DirectoryFingerprint}); a
 * driver upgrade, a new library link or a directory that appears makes the next spec read them again. Thread-safe.
 */
public final class DriverFileDiscovery {

    /** Library directories under a driver root: distribution layouts, and {@code lib64} for GKE-style roots. */
    static final List<String> LIBRARY_DIRS = List.of(
            "lib64", "usr/lib64", "usr/lib/x86_64-linux-gnu", "usr/lib/aarch64-linux-gnu",
            "lib/x86_64-linux-gnu", "usr/lib", "lib");
    static final List<String> BINARY_DIRS = List.of("bin", "usr/bin", "usr/sbin", "sbin");
    static final List<String> BINARIES = List.of(
            "nvidia-smi", "nvidia-debugdump", "nvidia-persistenced", "nvidia-cuda-mps-control", "nvidia-cuda-mps-server");
    static final List<String> FIRMWARE_DIRS = List.of("lib/firmware/nvidia", "usr/lib/firmware/nvidia", "firmware/nvidia");
    static final List<List<String>> IPC_CANDIDATES = List.of(
            List.of("run/nvidia-persistenced/socket", "var/run/nvidia-persistenced/socket"),
            List.of("run/nvidia-fabricmanager/socket", "var/run/nvidia-fabricmanager/socket"),
            List.of("tmp/nvidia-mps"));
    /** A normalised PCI bus ID, the only form that goes into a sysfs path. */
    static final Pattern PCI_BUS_ID = Pattern.compile("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    /** The kernel's DRM node names: the display node and the render node ({@code controlD} is long gone). */
    static final Pattern DRM_NODE = Pattern.compile("(card|renderD)[0-9]{1,5}");
    /** nvcdi's config search path under a driver root: /etc, then the XDG data directories' defaults. */
    static final List<String> CONFIG_DIRS = List.of("etc", "usr/local/share", "usr/share");
    /**
     * Graphics configuration nvcdi mounts (internal/discover graphics.go) and the container directory each goes to,
     * so a loader in the image finds it where it looks even when the host keeps it elsewhere.
     */
    static final List<List<String>> GRAPHICS_CONFIGS = List.of(
            List.of("glvnd/egl_vendor.d/10_nvidia.json", "/usr/share"),
            List.of("egl/egl_external_platform.d/15_nvidia_gbm.json", "/usr/share"),
            List.of("egl/egl_external_platform.d/10_nvidia_wayland.json", "/usr/share"),
            List.of("egl/egl_external_platform.d/09_nvidia_wayland2.json", "/usr/share"),
            List.of("egl/egl_external_platform.d/20_nvidia_xcb.json", "/usr/share"),
            List.of("egl/egl_external_platform.d/20_nvidia_xlib.json", "/usr/share"),
            List.of("nvidia/nvoptix.bin", "/usr/share"),
            List.of("X11/xorg.conf.d/10-nvidia.conf", "/usr/share"),
            List.of("X11/xorg.conf.d/nvidia-drm-outputclass.conf", "/usr/share"),
            List.of("OpenCL/vendors/nvidia.icd", "/etc"));
    /** Vulkan's ICD files, also searched at the driver root itself (GKE keeps them in {@code <root>/vulkan}). */
    static final List<String> VULKAN_CONFIGS = List.of(
            "vulkan/icd.d/nvidia_icd.json", "vulkan/icd.d/nvidia_layers.json",
            "vulkan/implicit_layer.d/nvidia_layers.json", "vulkan/icd.d/nvidia_icd.x86_64.json",
            "vulkan/icd.d/nvidia_icd.aarch64.json");
    static final List<String> CONTROL_NODES =
            List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia-modeset");

    public static final List<String> READ_ONLY_BIND = List.of("ro", "nosuid", "nodev", "rbind", "rprivate");
    /** Sockets must stay writable to be connected to; nothing in them may be executed. */
    public static final List<String> IPC_BIND = List.of("nosuid", "nodev", "rbind", "rprivate", "noexec");

    private static final Pattern DRIVER_VERSION = Pattern.compile("[0-9]+(\\.[0-9A-Za-z-]+)*");

    private final DriverRoots roots;
    private final DeviceNodeSource nodes;
    private final NvidiaCapabilities capabilities;
    private final Clock clock;
    private final Object readingFiles = new Object();
    /** The last reading of the driver's files; guarded by {@link #readingFiles}. */
    private FileReading lastReading;
    /** Directories the reading in progress looked at; non-null only during one, under {@link #readingFiles}. */
    private Set<Path> consulted;

    public DriverFileDiscovery(DriverRoots roots, DeviceNodeSource nodes) {
        this(roots, nodes, Clock.systemUTC());
    }

    DriverFileDiscovery(DriverRoots roots, DeviceNodeSource nodes, Clock clock) {
        this.roots = roots;
        this.nodes = nodes;
        this.capabilities = new NvidiaCapabilities(roots.procRoot());
        this.clock = clock;
    }

    /** The files of one driver version and the state of the directories they came from. */
    private record FileReading(String version, Libraries libraries, List<Mount> binaries, List<Mount> graphicsConfigs,
                               List<Mount> firmware, DirectoryFingerprint fingerprint) {
    }

    public DriverRoots roots() {
        return roots;
    }

    /**
     * @param driverVersion as NVML reports it, e.g. {@code 580.159.04}
     * @throws CdiException when the version is malformed, {@code /dev/nvidiactl} is missing or no
     *                      {@code libcuda.so.<version>} exists under the driver root
     */
    public DriverFiles discover(String driverVersion) throws CdiException {
        requireVersion(driverVersion);
        try {
            List<DeviceNode> control = new ArrayList<>();
            Set<Long> groups = new TreeSet<>();
            for (String path : CONTROL_NODES) {
                Optional<FoundNode> found = hostNode(path);
                found.ifPresent(f -> {
                    control.add(f.node());
                    f.group().ifPresent(groups::add);
                });
                if (found.isEmpty() && path.equals("/dev/nvidiactl")) {
                    throw new CdiException("device node /dev/nvidiactl not found under dev root " + roots.devRoot()
                            + "; is the NVIDIA driver loaded, and is the dev root the /dev of that driver?");
                }
            }
            FileReading files = driverFiles(driverVersion);
            Libraries libraries = files.libraries();
            return new DriverFiles(driverVersion, control, List.copyOf(groups), libraries.mounts(),
                    libraries.libcudaDir(), libraries.dirs(), libraries.links(), files.binaries(),
                    files.graphicsConfigs(), files.firmware(), ipcSockets());
        } catch (IOException e) {
            throw new CdiException("cannot search driver root " + roots.driverRoot() + ": " + e, e);
        }
    }

    /** How many directories the kept reading of the driver's files watches; 0 when none is kept. */
    int watchedDirectories() {
        synchronized (readingFiles) {
            return lastReading == null ? 0 : lastReading.fingerprint().size();
        }
    }

    /**
     * The kept reading while it still holds; otherwise a new one, kept only when it succeeded and its fingerprint is
     * trustworthy, so a failed or racy reading is simply done again by the next spec.
     */
    private FileReading driverFiles(String version) throws CdiException, IOException {
        synchronized (readingFiles) {
            FileReading kept = lastReading;
            if (kept != null && kept.version().equals(version) && kept.fingerprint().holds()) {
                return kept;
            }
            lastReading = null;
            Instant start = clock.instant();
            consulted = new HashSet<>();
            try {
                Libraries libraries = libraries(version);
                List<Mount> binaries = binaries();
                List<Mount> graphicsConfigs = graphicsConfigs();
                List<Mount> firmware = firmware(version);
                DirectoryFingerprint fingerprint = DirectoryFingerprint.of(consulted, start);
                FileReading reading = new FileReading(version, libraries, binaries, graphicsConfigs, firmware,
                        fingerprint);
                if (fingerprint.trustworthy()) {
                    lastReading = reading;
                }
                return reading;
            } finally {
                consulted = null;
            }
        }
    }

    /** Notes a directory (under the driver root) the reading in progress depends on. */
    private void consult(String relativeDir, Optional<String> realDir) {
        if (consulted != null) {
            consulted.add(roots.driverRoot().resolve(relativeDir));
            realDir.ifPresent(real -> consulted.add(roots.driverRoot().resolve(real)));
        }
    }

    /** {@code /dev/nvidia<minor>} of a full GPU, which must exist. */
    public ContainerEdits gpuEdits(int minor) throws CdiException {
        String path = "/dev/nvidia" + minor;
        try {
            FoundNode found = hostNode(path).orElseThrow(() -> new CdiException("device node " + path
                    + " not found under dev root " + roots.devRoot() + "; is GPU minor " + minor + " still present?"));
            return new ContainerEdits(null, List.of(found.node()), null, null, found.group().stream().toList());
        } catch (IOException e) {
            throw new CdiException("cannot read device node " + path + ": " + e, e);
        }
    }

    /** The parent GPU's node plus the GPU-instance and compute-instance capability nodes of a MIG device. */
    public ContainerEdits migEdits(MigInfo mig) throws CdiException {
        ContainerEdits parent = gpuEdits(mig.parentMinor());
        List<DeviceNode> caps = List.of(
                capabilities.gpuInstanceNode(mig.parentMinor(), mig.gpuInstanceId()),
                capabilities.computeInstanceNode(mig.parentMinor(), mig.gpuInstanceId(), mig.computeInstanceId()));
        return parent.plus(new ContainerEdits(null, caps, null, null, null));
    }

    /**
     * A GPU's DRM nodes as nvcdi adds them to the GPU and to each of its MIG devices (internal/platform-support/dgpu):
     * every entry of the GPU's {@code drm} folder in sysfs that exists as {@code /dev/dri/<name>} ({@code card<N>},
     * {@code renderD<N>}), and with a hook, upstream's {@code create-symlinks} for the host's
     * {@code /dev/dri/by-path/pci-<bus id>-card} and {@code -render} links to those nodes. Vulkan, EGL and video
     * APIs find the GPU through them. Empty where the GPU has none (nvidia-drm not loaded, as on many servers).
     *
     * @param pciBusId the GPU's, e.g. {@code 0000:65:00.0}
     * @param hookPath the hook's host path, or null for no links
     */
    public ContainerEdits drmEdits(String pciBusId, String hookPath) throws CdiException {
        if (!PCI_BUS_ID.matcher(pciBusId).matches()) {
            throw new CdiException("PCI bus ID '" + ClaimUids.printable(pciBusId) + "' is not of the form 0000:65:00.0");
        }
        Path drm = roots.sysRoot().resolve("bus/pci/devices").resolve(pciBusId).resolve("drm");
        if (!Files.isDirectory(drm)) {
            return ContainerEdits.EMPTY;
        }
        try {
            List<DeviceNode> nodes = new ArrayList<>();
            List<Long> groups = new ArrayList<>();
            try (var entries = Files.list(drm)) {
                for (String name : entries.map(p -> p.getFileName().toString()).filter(n -> DRM_NODE.matcher(n).matches())
                        .sorted().toList()) {
                    Optional<FoundNode> found = hostNode("/dev/dri/" + name);
                    found.ifPresent(f -> {
                        nodes.add(f.node());
                        f.group().filter(g -> !groups.contains(g)).ifPresent(groups::add);
                    });
                }
            }
            List<String> links = hookPath == null ? List.of() : byPathLinks(pciBusId, nodes);
            List<Hook> hooks = links.isEmpty() ? List.of() : List.of(CdiHooks.createSymlinks(hookPath, links));
            return new ContainerEdits(null, nodes, null, hooks, groups);
        } catch (IOException e) {
            throw new CdiException("cannot read the DRM nodes of GPU " + pciBusId + " in " + drm + ": " + e, e);
        }
    }

    /** The host's by-path links that point at one of {@code nodes}, as {@code target::link}, target as on the host. */
    private List<String> byPathLinks(String pciBusId, List<DeviceNode> nodes) throws IOException {
        List<String> selected = nodes.stream().map(DeviceNode::path).toList();
        List<String> links = new ArrayList<>();
        for (String kind : List.of("card", "render")) {
            String link = "/dev/dri/by-path/pci-" + pciBusId + "-" + kind;
            Path local = roots.devRoot().resolve(link.substring(1));
            if (!Files.isSymbolicLink(local)) {
                continue;
            }
            String target = Files.readSymbolicLink(local).toString();
            String resolved = Path.of(link).getParent().resolve(target).normalize().toString();
            if (selected.contains(resolved)) {
                links.add(target + "::" + link);
            }
        }
        return links;
    }

    private record FoundNode(DeviceNode node, Optional<Long> group) {
    }

    /** A node that exists on the host, described as nvcdi does: numbers, mode, {@code rwm}, group if not root. */
    private Optional<FoundNode> hostNode(String containerPath) throws CdiException, IOException {
        Path local = roots.devRoot().resolve(containerPath.substring(1));
        Optional<DeviceNodeInfo> info = nodes.stat(local);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        DeviceNodeInfo i = info.get();
        String hostPath = roots.toHost(local);
        DeviceNode node = new DeviceNode(containerPath, hostPath.equals(containerPath) ? null : hostPath, null,
                i.major(), i.minor(), i.mode(), "rwm", null, i.gid() == 0 ? null : i.gid());
        // A non-root container can open the node only through its group unless everyone may read and write it.
        Optional<Long> group = i.gid() != 0 && !i.worldReadWritable() ? Optional.of(i.gid()) : Optional.empty();
        return Optional.of(new FoundNode(node, group));
    }

    private record Libraries(List<Mount> mounts, String libcudaDir, List<String> dirs, List<String> links) {
    }

    private Libraries libraries(String version) throws CdiException, IOException {
        String suffix = ".so." + version;
        TreeMap<String, Mount> byRealPath = new TreeMap<>();
        List<String> searched = new ArrayList<>();
        for (String dir : LIBRARY_DIRS) {
            for (String candidate : List.of(dir, dir + "/vdpau")) {
                searched.add(candidate);
                for (String name : list(candidate, n -> n.endsWith(suffix))) {
                    Optional<String> real = realRegularFile(candidate + "/" + name);
                    real.ifPresent(r -> byRealPath.putIfAbsent(r, bind(r, "/" + r, READ_ONLY_BIND)));
                }
            }
        }
        Optional<String> libcuda = byRealPath.keySet().stream()
                .filter(r -> r.endsWith("/libcuda" + suffix) || r.equals("libcuda" + suffix))
                .findFirst();
        if (libcuda.isEmpty()) {
            throw new CdiException("no libcuda" + suffix + " under driver root " + roots.driverRoot()
                    + " (searched " + String.join(", ", searched) + "); check that the driver root is mounted there "
                    + "and that the driver version " + version + " is the one NVML reports"
                    + (byRealPath.isEmpty() ? "" : "; found only " + String.join(", ", byRealPath.keySet())));
        }
        Set<String> dirs = new TreeSet<>();
        byRealPath.values().forEach(m -> dirs.add(parent(m.containerPath())));
        Set<String> links = new LinkedHashSet<>();
        for (String real : byRealPath.keySet()) {
            links.addAll(linksFor(real, version));
        }
        return new Libraries(List.copyOf(byRealPath.values()), parent("/" + libcuda.get()), List.copyOf(dirs),
                List.copyOf(links));
    }

    /**
     * The {@code target::link} pairs nvcdi's {@code create-symlinks} hook gets for one library (internal/discover
     * symlinks.go): the development links applications dlopen by a fixed name, then the library's SONAME link and its
     * {@code .so} link where the host has them. nvcdi reads the SONAME from the ELF file; the host's own SONAME link
     * is the symlink ldconfig made beside the library under that name, so the link that resolves to the library
     * names the same SONAME without an ELF reader. A pair nvcdi would list twice (libcuda's {@code .so} link) is
     * dropped by the caller's set, as nvcdi drops it.
     */
    private List<String> linksFor(String realLibrary, String version) throws IOException {
        String dir = parent("/" + realLibrary);
        String name = realLibrary.substring(realLibrary.lastIndexOf('/') + 1);
        String base = name.substring(0, name.length() - (".so." + version).length());
        List<String> links = new ArrayList<>();
        switch (base) {
            case "libcuda" -> links.add("libcuda.so.1::" + join(dir, "libcuda.so"));
            case "libGLX_nvidia" -> links.add(name + "::" + join(dir, "libGLX_indirect.so.0"));
            case "libnvidia-opticalflow" -> links.add("libnvidia-opticalflow.so.1::" + join(dir, "libnvidia-opticalflow.so"));
            default -> {
            }
        }
        String relativeDir = dir.substring(1);
        String soname = null;
        for (String candidate : list(relativeDir, n -> n.startsWith(base + ".so.") && !n.equals(name))) {
            String path = relativeDir.isEmpty() ? candidate : relativeDir + "/" + candidate;
            if (Files.isSymbolicLink(roots.driverRoot().resolve(path))
                    && RootedPaths.resolve(roots.driverRoot(), path).filter(realLibrary::equals).isPresent()) {
                soname = candidate;
                links.add(name + "::" + join(dir, soname));
                break;
            }
        }
        String soLink = base + ".so";
        String soLinkPath = relativeDir.isEmpty() ? soLink : relativeDir + "/" + soLink;
        if (Files.isSymbolicLink(roots.driverRoot().resolve(soLinkPath))) {
            links.add((soname == null ? name : soname) + "::" + join(dir, soLink));
        }
        return links;
    }

    private static String join(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    private List<Mount> binaries() throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (String binary : BINARIES) {
            for (String dir : BINARY_DIRS) {
                Optional<String> realDir = RootedPaths.resolve(roots.driverRoot(), dir);
                Optional<String> real = realRegularFile(dir + "/" + binary);
                if (realDir.isPresent() && real.isPresent()) {
                    // A symlinked utility keeps its name on PATH; the host side is the file it points to.
                    mounts.add(bind(real.get(), "/" + realDir.get() + "/" + binary, READ_ONLY_BIND));
                    break;
                }
            }
        }
        return mounts;
    }

    private List<Mount> graphicsConfigs() throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (List<String> config : GRAPHICS_CONFIGS) {
            firstConfig(config.get(0), CONFIG_DIRS).ifPresent(real ->
                    mounts.add(bind(real, config.get(1) + "/" + config.get(0), READ_ONLY_BIND)));
        }
        List<String> vulkanDirs = new ArrayList<>(CONFIG_DIRS);
        vulkanDirs.add("");
        for (String config : VULKAN_CONFIGS) {
            firstConfig(config, vulkanDirs).ifPresent(real -> mounts.add(bind(real, "/etc/" + config, READ_ONLY_BIND)));
        }
        return mounts;
    }

    private Optional<String> firstConfig(String file, List<String> dirs) throws IOException {
        for (String dir : dirs) {
            Optional<String> real = realRegularFile(dir.isEmpty() ? file : dir + "/" + file);
            if (real.isPresent()) {
                return real;
            }
        }
        return Optional.empty();
    }

    private List<Mount> firmware(String version) throws IOException {
        TreeMap<String, Mount> byName = new TreeMap<>();
        for (String dir : FIRMWARE_DIRS) {
            String versionDir = dir + "/" + version;
            for (String name : list(versionDir, n -> n.startsWith("gsp") && n.endsWith(".bin"))) {
                Optional<String> real = realRegularFile(versionDir + "/" + name);
                // The kernel loads firmware from /lib/firmware, whatever layout the root uses.
                real.ifPresent(r -> byName.putIfAbsent(name,
                        bind(r, "/lib/firmware/nvidia/" + version + "/" + name, READ_ONLY_BIND)));
            }
        }
        return List.copyOf(byName.values());
    }

    private List<Mount> ipcSockets() throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (List<String> candidates : IPC_CANDIDATES) {
            for (String candidate : candidates) {
                Optional<String> real = RootedPaths.resolve(roots.driverRoot(), candidate);
                if (real.isPresent()) {
                    mounts.add(bind(real.get(), "/" + real.get(), IPC_BIND));
                    break;
                }
            }
        }
        return mounts;
    }

    private Mount bind(String realRelative, String containerPath, List<String> options) {
        return Mount.bind(roots.toHost(roots.driverRoot().resolve(realRelative)), containerPath, options);
    }

    private Optional<String> realRegularFile(String relative) throws IOException {
        Optional<String> real = RootedPaths.resolve(roots.driverRoot(), relative);
        consult(parentOfRelative(relative), real.map(DriverFileDiscovery::parentOfRelative));
        if (real.isPresent() && Files.isRegularFile(roots.driverRoot().resolve(real.get()), LinkOption.NOFOLLOW_LINKS)) {
            return real;
        }
        return Optional.empty();
    }

    /** Sorted names in a directory under the root, following the directory's own symlinks inside the root. */
    private List<String> list(String relativeDir, Predicate<String> filter) throws IOException {
        Optional<String> real = RootedPaths.resolve(roots.driverRoot(), relativeDir);
        consult(relativeDir, real);
        if (real.isEmpty()) {
            return List.of();
        }
        Path dir = roots.driverRoot().resolve(real.get());
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            Set<String> names = new TreeSet<>();
            entries.map(p -> p.getFileName().toString()).filter(filter).forEach(names::add);
            return List.copyOf(names);
        }
    }

    private static String parentOfRelative(String relative) {
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash);
    }

    private static String parent(String containerPath) {
        int slash = containerPath.lastIndexOf('/');
        return slash <= 0 ? "/" : containerPath.substring(0, slash);
    }

    private static void requireVersion(String version) throws CdiException {
        if (version == null || !DRIVER_VERSION.matcher(version).matches()) {
            throw new CdiException("driver version '" + (version == null ? "" : ClaimUids.printable(version))
                    + "' is not a version such as 580.159.04");
        }
    }
}
