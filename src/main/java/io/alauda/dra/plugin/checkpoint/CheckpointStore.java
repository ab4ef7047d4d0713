package io.alauda.dra.plugin.checkpoint;

import io.alauda.dra.files.AtomicFileWriter;
import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The plugin's crash-safe record of which claims it prepared, kept in memory and mirrored to
 * {@code <pluginsDir>/gpu.nvidia.com/checkpoint.json}. Every change is written atomically (temporary file, fsync,
 * rename) before the call that made it returns, so after a crash of the plugin the file never says less than a
 * caller was told. The directory is not flushed after the rename ({@link AtomicFileWriter.Durability
 * #WHOLE_AFTER_POWER_LOSS}), as kubelet's own checkpoints are written: a power loss is a reboot, after which the
 * file's boot ID makes the plugin drop every claim anyway, so the file only has to be whole, not new.
 *
 * <p><b>Group commit.</b> The file is written whole, so writes are serial; during a burst of claims they would queue
 * one fsync each. Instead a change is first {@linkplain #stage accepted} in memory, and whoever waits for it while
 * no write runs writes everything accepted so far, in one file write. A change is visible to readers from the
 * moment it is accepted (so the overlap guard sees a device being taken). If a write fails, its changes and every
 * change accepted after them (which were made on top of them) are withdrawn, memory goes back to what the file
 * says, and each of their callers gets the error: nothing a failed write carried is ever reported as recorded.
 *
 * <p>Thread-safe. Call {@link #load()} once before anything else.
 */
public final class CheckpointStore {

    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    /** Owner only: the checkpoint names every workload's claims. */
    static final int FILE_MODE = 0600;
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final BootIdSource bootIds;
    private final CheckpointRecoveryListener recoveryListener;
    private final Clock clock;
    private final AtomicFileWriter writer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();

    /** Everything accepted: what the file says plus changes not yet written. Guarded by {@link #lock}. */
    private CheckpointData data;
    /** What the file says. Guarded by {@link #lock}. */
    private CheckpointData durable;
    /** Changes accepted since the last write began. Guarded by {@link #lock}. */
    private Batch open = new Batch();
    private boolean writing;
    /**
     * Whether the file is known to exist. Writes flush the file but not the directory, so a power loss may undo a
     * rename and leave the file as it was before, which is from the same boot and dropped as a whole after the
     * reboot. That holds only once there is a file for certain: the write that creates it is flushed all the way,
     * because without a file after a power loss, specs left in a persistent CDI directory would be held as orphans
     * instead of removed. Guarded by {@link #lock}.
     */
    private boolean fileExists;

    /** Changes written together; their callers learn the outcome together. Fields guarded by the store's lock. */
    private static final class Batch {
        private boolean done;
        private IOException failure;

        void finish(IOException failure) {
            this.done = true;
            this.failure = failure;
        }
    }

    /** A change accepted in memory; durable once {@link #awaitDurable()} returns. */
    @FunctionalInterface
    public interface Pending {
        /** Waits until the change is in the file, writing it (with whatever else is pending) if no write runs. */
        void awaitDurable() throws IOException;
    }

    public CheckpointStore(Path file, BootIdSource bootIds, CheckpointRecoveryListener recoveryListener) {
        this(file, bootIds, recoveryListener, Clock.systemUTC(),
                new AtomicFileWriter(FILE_MODE).withDurability(AtomicFileWriter.Durability.WHOLE_AFTER_POWER_LOSS));
    }

    CheckpointStore(Path file, BootIdSource bootIds, CheckpointRecoveryListener recoveryListener, Clock clock,
                    AtomicFileWriter writer) {
        this.file = file.toAbsolutePath();
        this.bootIds = Objects.requireNonNull(bootIds, "bootIds");
        this.recoveryListener = Objects.requireNonNull(recoveryListener, "recoveryListener");
        this.clock = clock;
        this.writer = writer;
    }

    public Path file() {
        return file;
    }

    /**
     * Reads the file into memory. Never throws: a missing file starts empty; a file from before the last reboot starts
     * empty; a file that cannot be used is moved aside to {@code checkpoint.json.corrupt-<UTC time>} and reported to
     * the recovery listener, and the store starts empty.
     */
    public LoadOutcome load() {
        lock.lock();
        try {
            LoadOutcome outcome = loadLocked();
            durable = data;
            return outcome;
        } finally {
            lock.unlock();
        }
    }

    private LoadOutcome loadLocked() {
        removeLeftovers(file);
        Optional<String> bootId = bootIds.currentBootId();
        if (bootId.isEmpty()) {
            LOG.warnf("cannot read the node boot ID; checkpoint %s is trusted without the reboot check", file);
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
            fileExists = true;
        } catch (NoSuchFileException e) {
            LOG.infof("no checkpoint at %s; starting with no prepared claims", file);
            data = CheckpointData.empty(bootId.orElse(null));
            return LoadOutcome.NO_CHECKPOINT;
        } catch (IOException | RuntimeException e) {
            return recover(new CheckpointFormatException(CheckpointRecovery.Reason.UNREADABLE,
                    "cannot read the file: " + e, e), bootId);
        }
        CheckpointData stored;
        try {
            stored = CheckpointCodec.decode(content);
        } catch (CheckpointFormatException e) {
            return recover(e, bootId);
        }
        if (bootId.isPresent() && stored.nodeBootId() != null && !stored.nodeBootId().equals(bootId.get())) {
            LOG.infof("checkpoint %s was written in boot %s, the node now runs boot %s: prepared claims do not survive"
                            + " a reboot, so its %d claim(s) are dropped and the plugin starts empty",
                    file, stored.nodeBootId(), bootId.get(), stored.claims().size());
            data = CheckpointData.empty(bootId.get());
            persistQuietly();
            return LoadOutcome.DISCARDED_AFTER_REBOOT;
        }
        // A file without a boot ID (or a node whose boot ID cannot be read) is kept; the next write stamps it.
        data = new CheckpointData(bootId.orElse(stored.nodeBootId()), stored.claims());
        LOG.infof("loaded checkpoint %s: %d claim(s)", file, data.claims().size());
        return LoadOutcome.LOADED;
    }

    /** The claim's entry, including a change accepted but not yet written. */
    public Optional<CheckpointEntry> get(String claimUid) {
        return Optional.ofNullable(snapshot().get(claimUid));
    }

    /** All entries, claim UID → entry, sorted by UID; an immutable copy, including changes not yet written. */
    public Map<String, CheckpointEntry> snapshot() {
        lock.lock();
        try {
            return loaded().claims();
        } finally {
            lock.unlock();
        }
    }

    /** Records that preparing {@code claim} begins (replacing any earlier entry). */
    public CheckpointEntry putStarted(ResourceClaimRef claim) throws IOException {
        return putStarted(claim, List.of());
    }

    /** Records that preparing {@code claim} begins, with what is already known about its devices. */
    public CheckpointEntry putStarted(ResourceClaimRef claim, List<KubeletDevice> devices) throws IOException {
        return putStarted(claim, devices, SharingRecord.NONE);
    }

    /** Records that preparing {@code claim} begins and what its sharing is about to change on the node. */
    public CheckpointEntry putStarted(ResourceClaimRef claim, List<KubeletDevice> devices, SharingRecord sharing)
            throws IOException {
        return put(claim, EntryState.PREPARE_STARTED, devices, sharing);
    }

    /**
     * Accepts PrepareStarted for {@code claim} (no sharing) without waiting for the file: readers see it at once, so
     * a caller can decide under its own lock and wait for the write outside it, together with other claims.
     */
    public Pending stageStarted(ResourceClaimRef claim, List<KubeletDevice> devices) {
        return stage(claim.uid(), entry(claim, EntryState.PREPARE_STARTED, devices, SharingRecord.NONE));
    }

    /** Records that {@code claim} is prepared and kubelet was given {@code devices}. */
    public CheckpointEntry putCompleted(ResourceClaimRef claim, List<KubeletDevice> devices) throws IOException {
        return putCompleted(claim, devices, SharingRecord.NONE);
    }

    /** Records that {@code claim} is prepared, kubelet was given {@code devices}, and its sharing is in place. */
    public CheckpointEntry putCompleted(ResourceClaimRef claim, List<KubeletDevice> devices, SharingRecord sharing)
            throws IOException {
        return put(claim, EntryState.PREPARE_COMPLETED, devices, sharing);
    }

    /** Forgets the claim; returns false (and writes nothing) if it was not recorded. */
    public boolean remove(String claimUid) throws IOException {
        Pending removal;
        lock.lock();
        try {
            if (!loaded().claims().containsKey(claimUid)) {
                return false;
            }
            removal = accept(claims -> {
                claims.remove(claimUid);
                return claims;
            });
        } finally {
            lock.unlock();
        }
        removal.awaitDurable();
        return true;
    }

    private CheckpointEntry put(ResourceClaimRef claim, EntryState state, List<KubeletDevice> devices,
                                SharingRecord sharing) throws IOException {
        CheckpointEntry entry = entry(claim, state, devices, sharing);
        stage(claim.uid(), entry).awaitDurable();
        return entry;
    }

    private CheckpointEntry entry(ResourceClaimRef claim, EntryState state, List<KubeletDevice> devices,
                                  SharingRecord sharing) {
        Objects.requireNonNull(claim, "claim");
        if (claim.uid().isBlank() || claim.namespace().isBlank() || claim.name().isBlank()) {
            throw new IllegalArgumentException("claim " + claim + " needs a UID, namespace and name to be checkpointed");
        }
        return new CheckpointEntry(state, claim.namespace(), claim.name(), devices, clock.instant(), sharing);
    }

    private Pending stage(String uid, CheckpointEntry entry) {
        lock.lock();
        try {
            return accept(claims -> {
                claims.put(uid, entry);
                return claims;
            });
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: applies a change to everything accepted and adds it to the batch the next write takes. */
    private Pending accept(Function<Map<String, CheckpointEntry>, Map<String, CheckpointEntry>> change) {
        CheckpointData current = loaded();
        data = new CheckpointData(current.nodeBootId(), change.apply(new HashMap<>(current.claims())));
        Batch batch = open;
        return () -> awaitDurable(batch);
    }

    private void awaitDurable(Batch batch) throws IOException {
        lock.lock();
        try {
            while (!batch.done) {
                if (writing) {
                    written.awaitUninterruptibly();
                } else {
                    writeOpenBatch();
                }
            }
            if (batch.failure != null) {
                // The writer's message names the file and the cause.
                throw new IOException("could not write checkpoint: " + batch.failure.getMessage()
                        + "; the change was not recorded", batch.failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * With the lock held and no write running: writes everything accepted, releasing the lock meanwhile. A waiter
     * whose change is not done while no write runs is therefore always in the open batch.
     */
    private void writeOpenBatch() {
        writing = true;
        Batch batch = open;
        open = new Batch();
        CheckpointData content = data;
        AtomicFileWriter with = fileExists ? writer : writer.withDurability(AtomicFileWriter.Durability.POWER_LOSS);
        Throwable thrown = null;
        lock.unlock();
        try {
            writeFile(content, with);
        } catch (Throwable t) {
            thrown = t;
        }
        lock.lock();
        writing = false;
        written.signalAll();
        if (thrown == null) {
            durable = content;
            fileExists = true;
            batch.finish(null);
            return;
        }
        IOException failure = thrown instanceof IOException io ? io : new IOException(thrown.toString(), thrown);
        // Changes accepted during the write were made on top of the failed ones: they cannot stand alone.
        data = durable;
        batch.finish(failure);
        open.finish(failure);
        open = new Batch();
        if (thrown instanceof Error error) {
            throw error;
        }
    }

    private CheckpointData loaded() {
        if (data == null) {
            throw new IllegalStateException("checkpoint " + file + " used before load(); call load() at startup");
        }
        return data;
    }

    private LoadOutcome recover(CheckpointFormatException problem, Optional<String> bootId) {
        Path aside = moveAside();
        fileExists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        LOG.errorf("checkpoint %s is unusable (%s: %s); %s. Starting with no prepared claims; they must be rebuilt"
                        + " from the CDI spec files.", file, problem.reason(), problem.getMessage(),
                aside == null ? "it could not be moved aside and will be overwritten" : "moved it to " + aside);
        data = CheckpointData.empty(bootId.orElse(null));
        CheckpointRecovery recovery = new CheckpointRecovery(problem.reason(), problem.getMessage(), file, aside);
        try {
            recoveryListener.onRecovery(recovery);
        } catch (RuntimeException e) {
            LOG.warnf(e, "checkpoint recovery listener failed");
        }
        return LoadOutcome.RECOVERED_FROM_CORRUPTION;
    }

    private Path moveAside() {
        String stamp = ASIDE_STAMP.format(clock.instant());
        for (int attempt = 0; attempt < 100; attempt++) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp + (attempt == 0 ? "" : "-" + attempt));
            try {
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    return null;
                }
                Files.move(file, aside);
                fsyncDirectory(file.getParent());
                return aside;
            } catch (FileAlreadyExistsException e) {
                // Two recoveries in the same millisecond; try the next suffix.
            } catch (IOException | RuntimeException e) {
                LOG.warnf("could not move unusable checkpoint %s aside: %s", file, e);
                return null;
            }
        }
        return null;
    }

    private void persistQuietly() {
        try {
            writeFile(data);
        } catch (IOException e) {
            LOG.warnf("could not rewrite checkpoint %s after the reboot check (%s); the next change will", file, e);
        }
    }

    private void writeFile(CheckpointData content) throws IOException {
        writeFile(content, writer);
    }

    private void writeFile(CheckpointData content, AtomicFileWriter with) throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            // Same mode as the socket directories: the checkpoint names every workload's claims.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        }
        write(with, file, CheckpointCodec.encode(content));
    }

    /**
     * A failed directory flush after the rename is only warned about: the new content is already in place, so
     * failing would leave memory behind the file; and a platform that cannot flush a directory could otherwise never
     * record a claim.
     */
    private static void write(AtomicFileWriter writer, Path target, byte[] content) throws IOException {
        try {
            writer.write(target, content);
        } catch (AtomicFileWriter.DirectorySyncException e) {
            LOG.warnf("%s", e.getMessage());
        }
    }

    /** Deletes temporary files an earlier process left behind when it died mid-write; never fails the caller. */
    private static void removeLeftovers(Path target) {
        try {
            for (Path leftover : AtomicFileWriter.removeLeftovers(target)) {
                LOG.infof("removed %s, left by an interrupted write", leftover);
            }
        } catch (IOException e) {
            LOG.warnf("could not remove leftover temporary files beside %s: %s", target, e);
        }
    }

    /** Makes a rename in {@code dir} durable, or says why it may not be. */
    static void fsyncDirectory(Path dir) {
        try {
            AtomicFileWriter.syncDirectory(dir);
        } catch (IOException e) {
            // Linux allows this; a platform that does not cannot give the guarantee, so say so rather than fail.
            LOG.warnf("could not fsync directory %s (%s); the rename may not survive a power loss", dir, e);
        }
    }
}
