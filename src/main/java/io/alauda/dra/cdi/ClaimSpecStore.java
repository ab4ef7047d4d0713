package io.alauda.dra.cdi;

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
 */
public final class ClaimSpecStore {

    private final Path cdiRoot;
    private final AtomicFileWriter writer;

    public ClaimSpecStore(Path cdiRoot) {
        this(cdiRoot, new AtomicFileWriter());
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
        writer.write(file, SpecJson.toJson(spec).getBytes(StandardCharsets.UTF_8));
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
        try {
            boolean removed = Files.deleteIfExists(file);
            if (removed) {
                AtomicFileWriter.syncDirectory(cdiRoot);
            }
            return removed;
        } catch (IOException e) {
            throw new CdiException("cannot delete CDI spec " + file + ": " + e, e);
        }
    }

    /** Every claim spec in the directory; other vendors' files and our temporary files are ignored. */
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
