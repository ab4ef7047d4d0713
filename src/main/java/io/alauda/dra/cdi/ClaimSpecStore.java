package io.alauda.dra.cdi;

import io.alauda.dra.files.AtomicFileWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The claim spec files in the CDI directory ({@code /var/run/cdi} by default): written atomically with mode 0644,
 * deleted on unprepare, listed to rebuild state. Every claim UID is validated before it becomes part of a path.
 *
 * <p>Nothing is flushed to disk ({@link AtomicFileWriter.Durability#PROCESS_CRASH}), as the CDI library writes
 * specs: a claim spec means something only in the boot it was written in. A crash of the plugin loses nothing (the
 * kernel holds the file); a power loss is a reboot, which ends every container that used a spec, and after it the
 * plugin removes every claim spec left ({@code /var/run/cdi} is usually a tmpfs anyway). A flush would cost each
 * prepare two disk round trips for a guarantee nobody can use.
 */
public final class ClaimSpecStore {

    /** Readable by all: the container runtime reading the spec need not run as root. */
    static final int SPEC_FILE_MODE = 0644;

    private final Path cdiRoot;
    private final AtomicFileWriter writer;

    public ClaimSpecStore(Path cdiRoot) {
        this(cdiRoot, new AtomicFileWriter(SPEC_FILE_MODE).withDurability(AtomicFileWriter.Durability.PROCESS_CRASH));
    }

    ClaimSpecStore(Path cdiRoot, AtomicFileWriter writer) {
        if (cdiRoot == null || !cdiRoot.isAbsolute()) {
            throw new IllegalArgumentException("CDI root must be an absolute path, got " + cdiRoot);
        }
        this.cdiRoot = cdiRoot.normalize();
        this.writer = writer;
    }

    public Path cdiRoot() {
        return cdiRoot;
    }

    public Path path(String claimUid) throws CdiException {
        return cdiRoot.resolve(ClaimSpecs.fileName(claimUid));
    }

    /**
     * Validates the spec, checks that it is this claim's, and replaces the claim's file atomically.
     *
     * @return the file written
     */
    public Path write(String claimUid, Spec spec) throws CdiException {
        Path file = path(claimUid);
        if (!ClaimSpecs.KIND.equals(spec.kind())) {
            throw new CdiException("spec for claim " + claimUid + " has kind '" + spec.kind() + "', expected "
                    + ClaimSpecs.KIND);
        }
        for (Device device : spec.devices()) {
            if (device.name() == null || !device.name().startsWith(claimUid + "-")) {
                throw new CdiException("spec for claim " + claimUid + " has device '" + device.name()
                        + "' that does not belong to it; device names must start with " + claimUid + "-");
            }
        }
        SpecValidator.validate(spec);
        try {
            Files.createDirectories(cdiRoot);
        } catch (IOException e) {
            throw new CdiException("cannot create directory " + cdiRoot + ": " + e, e);
        }
        try {
            // Where a caller asks for a directory flush, its failure fails the write too: kubelet retries.
            writer.write(file, SpecJson.toJson(spec).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CdiException(e.getMessage(), e);
        }
        return file;
    }

    /** The claim's spec as written, or empty when there is none. */
    public Optional<Spec> read(String claimUid) throws CdiException {
        Path file = path(claimUid);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(SpecValidator.validateFile(file));
    }

    /**
     * Removes the claim's file; a missing file is fine, so unprepare can be repeated.
     *
     * @return whether a file was removed
     */
    public boolean delete(String claimUid) throws CdiException {
        Path file = path(claimUid);
        boolean removed;
        try {
            removed = Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CdiException("cannot delete CDI spec " + file + ": " + e, e);
        }
        if (removed && writer.durability() == AtomicFileWriter.Durability.POWER_LOSS) {
            try {
                AtomicFileWriter.syncDirectory(cdiRoot);
            } catch (IOException e) {
                throw new CdiException("cannot flush directory " + cdiRoot + " to disk: " + e, e);
            }
        }
        return removed;
    }

    /**
     * Every claim spec in the directory; other vendors' files are ignored. Temporary files that a write interrupted
     * by a crash left behind are deleted on the way (the runtime ignores them, but nothing else would ever remove
     * them); one that cannot be deleted is reported as a problem.
     */
    public StoredClaims list() throws CdiException {
        TreeMap<String, List<String>> devices = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> entries = Files.list(cdiRoot)) {
            files = entries.sorted().toList();
        } catch (NoSuchFileException e) {
            return new StoredClaims(devices, problems);
        } catch (IOException e) {
            throw new CdiException("cannot list CDI directory " + cdiRoot + ": " + e, e);
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.startsWith(".")) {
                removeIfLeftover(file, problems);
                continue;
            }
            if (!name.startsWith(ClaimSpecs.FILE_PREFIX) || !name.endsWith(ClaimSpecs.FILE_SUFFIX)) {
                continue;
            }
            Optional<String> uid = ClaimSpecs.claimUidOf(name);
            if (uid.isEmpty()) {
                problems.add(file + ": the name does not hold a valid claim UID");
                continue;
            }
            try {
                devices.put(uid.get(), deviceNames(uid.get(), SpecValidator.validateFile(file)));
            } catch (CdiException e) {
                problems.add(file + ": " + e.getMessage());
            }
        }
        return new StoredClaims(devices, problems);
    }

    private static void removeIfLeftover(Path file, List<String> problems) {
        try {
            AtomicFileWriter.removeIfLeftover(file, name -> ClaimSpecs.claimUidOf(name).isPresent());
        } catch (IOException e) {
            problems.add(file + ": temporary file of an interrupted write, could not be removed: " + e);
        }
    }

    private static List<String> deviceNames(String uid, Spec spec) throws CdiException {
        if (!ClaimSpecs.KIND.equals(spec.kind())) {
            throw new CdiException("kind is '" + spec.kind() + "', expected " + ClaimSpecs.KIND);
        }
        List<String> names = new ArrayList<>();
        for (Device device : spec.devices()) {
            if (!device.name().startsWith(uid + "-")) {
                throw new CdiException("device '" + device.name() + "' does not start with the claim UID " + uid);
            }
            names.add(device.name().substring(uid.length() + 1));
        }
        return names;
    }
}
