package io.alauda.dra.cdi;

import io.alauda.dra.files.AtomicFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimSpecStoreTest {

    static final String UID = "0b9c4e8e-5a41-4bd4-9d6a-1e7c3f2a7b10";
    static final String OTHER_UID = "d1e2f3a4-0000-4000-8000-000000000001";

    @TempDir
    Path tmp;

    Path cdiRoot() {
        return tmp.resolve("var/run/cdi");
    }

    static Spec claimSpec(String uid, String... deviceNames) {
        List<Device> devices = Stream.of(deviceNames)
                .map(n -> new Device(uid + "-" + n, Specs.nodeEdits(Specs.NODE)))
                .toList();
        Spec draft = new Spec(null, ClaimSpecs.KIND, devices, null);
        return draft.withCdiVersion(CdiVersions.minimumFor(draft));
    }

    List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheClaimFileWithMode0644IntoANewDirectoryAndLeavesNoTemporaryFile() throws Exception {
        ClaimSpecStore store = new ClaimSpecStore(cdiRoot());
        Spec spec = claimSpec(UID, "gpu-0");

        Path file = store.write(UID, spec);

        assertEquals(cdiRoot().resolve("k8s.gpu.nvidia.com-claim_" + UID + ".json"), file);
        assertEquals(SpecJson.toJson(spec), Files.readString(file));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of("k8s.gpu.nvidia.com-claim_" + UID + ".json"), namesIn(cdiRoot()));
        assertEquals(Optional.of(spec), store.read(UID));
    }

    @Test
    void rewritingReplacesTheContent() throws Exception {
        ClaimSpecStore store = new ClaimSpecStore(cdiRoot());
        store.write(UID, claimSpec(UID, "gpu-0"));

        store.write(UID, claimSpec(UID, "gpu-1"));

        assertEquals(Optional.of(claimSpec(UID, "gpu-1")), store.read(UID));
        assertEquals(1, namesIn(cdiRoot()).size());
    }

    @Test
    void aFailedWriteLeavesTheOldFileUntouchedAndNoTemporaryFile() throws Exception {
        new ClaimSpecStore(cdiRoot()).write(UID, claimSpec(UID, "gpu-0"));
        Path file = cdiRoot().resolve(ClaimSpecs.fileName(UID));
        String before = Files.readString(file);
        ClaimSpecStore failing = new ClaimSpecStore(cdiRoot(),
                new AtomicFileWriter(ClaimSpecStore.SPEC_FILE_MODE).withRenamer((from, to) -> {
                    throw new IOException("disk full");
                }));

        CdiException e = assertThrows(CdiException.class, () -> failing.write(UID, claimSpec(UID, "gpu-1")));

        assertTrue(e.getMessage().contains("cannot write " + file) && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals(before, Files.readString(file));
        assertEquals(List.of(file.getFileName().toString()), namesIn(cdiRoot()));
    }

    @Test
    void anInvalidSpecIsNeverWritten() throws Exception {
        ClaimSpecStore store = new ClaimSpecStore(cdiRoot());
        Spec lowVersion = claimSpec(UID, "gpu-0").withCdiVersion("0.3.0");

        CdiException e = assertThrows(CdiException.class, () -> store.write(UID, lowVersion));

        assertTrue(e.getMessage().contains("at least 0.5.0"), e.getMessage());
        assertFalse(Files.exists(cdiRoot().resolve(ClaimSpecs.fileName(UID))));
    }

    @Test
    void aSpecOfAnotherClaimOrKindIsRefused() {
        ClaimSpecStore store = new ClaimSpecStore(cdiRoot());

        CdiException otherClaim = assertThrows(CdiException.class, () -> store.write(UID, claimSpec(OTHER_UID, "gpu-0")));
        Spec otherKind = new Spec("0.5.0", "nvidia.com/gpu", claimSpec(UID, "gpu-0").devices(), null);
        CdiException wrongKind = assertThrows(CdiException.class, () -> store.write(UID, otherKind));

        assertTrue(otherClaim.getMessage().contains("does not belong to it"), otherClaim.getMessage());
        assertTrue(wrongKind.getMessage().contains("kind 'nvidia.com/gpu'"), wrongKind.getMessage());
    }

    @Test
    void uidsThatWouldLeaveTheDirectoryAreRefusedBeforeAnyFileIsTouched() throws Exception {
        ClaimSpecStore store = new ClaimSpecStore(cdiRoot());
        String evil = "../../etc/x";

        CdiException write = assertThrows(CdiException.class, () -> store.write(evil, claimSpec(UID, "gpu-0")));
        CdiException delete = assertThrows(CdiException.class, () -> store.delete(evil));

        assertTrue(write.getMessage().contains("claim UID '../../etc/x' is not valid"), write.getMessage());
        assertTrue(delete.getMessage().contains("'../../etc/x'"), delete.getMessage());
        assertFalse(Files.exists(cdiRoot()));
    }

    @Test
    void aSymlinkPlantedAtTheTargetIsNotFollowed() throws Exception {
        Files.createDirectories(cdiRoot());
        Path victim = Files.writeString(tmp.resolve("victim"), "precious");
        Files.createSymbolicLink(cdiRoot().resolve(ClaimSpecs.fileName(UID)), victim);
        ClaimSpecStore store = new ClaimSpecStore(cdiRoot());

        CdiException e = assertThrows(CdiException.class, () -> store.write(UID, claimSpec(UID, "gpu-0")));

        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
        assertEquals("precious", Files.readString(victim));
        assertEquals(List.of(ClaimSpecs.fileName(UID)), namesIn(cdiRoot()));
    }

    @Test
    void deletingRemovesTheFileAndAMissingFileIsFine() throws Exception {
        ClaimSpecStore store = new ClaimSpecStore(cdiRoot());
        store.write(UID, claimSpec(UID, "gpu-0"));

        assertTrue(store.delete(UID));
        assertFalse(store.delete(UID));
        assertEquals(List.of(), namesIn(cdiRoot()));
        assertEquals(Optional.empty(), store.read(UID));
    }

    @Test
    void listingGivesEachClaimsDeviceNamesAndSkipsOtherFiles() throws Exception {
        ClaimSpecStore store = new ClaimSpecStore(cdiRoot());
        store.write(UID, claimSpec(UID, "gpu-0", "gpu-1-mig-1g10gb-19-0"));
        store.write(OTHER_UID, claimSpec(OTHER_UID, "gpu-3"));
        Files.writeString(cdiRoot().resolve("nvidia.yaml"), "cdiVersion: 0.5.0\n");
        Files.writeString(cdiRoot().resolve(".k8s.gpu.nvidia.com-claim_" + UID + ".json.tmp-0011"), "{");

        StoredClaims stored = store.list();

        assertEquals(Map.of(UID, List.of("gpu-0", "gpu-1-mig-1g10gb-19-0"), OTHER_UID, List.of("gpu-3")),
                stored.devicesByClaim());
        assertEquals(List.of(), stored.problems());
        assertEquals(List.of(ClaimSpecs.fileName(UID), ClaimSpecs.fileName(OTHER_UID), "nvidia.yaml"), namesIn(cdiRoot()),
                "the temporary file of an interrupted write is removed");
    }

    @Test
    void listingRemovesOnlyTemporaryFilesOfClaimSpecs() throws Exception {
        Files.createDirectories(cdiRoot());
        List<String> leftovers = List.of(
                "." + ClaimSpecs.fileName(UID) + ".0123456789abcdef.tmp",
                "." + ClaimSpecs.fileName(OTHER_UID) + ".tmp-00aa");
        List<String> kept = List.of(
                ".nvidia.yaml.swp",
                ".other-vendor.json.0123.tmp",
                "." + ClaimSpecs.fileName(UID),
                ClaimSpecs.fileName(UID) + ".0123.tmp");
        for (String name : leftovers) {
            Files.writeString(cdiRoot().resolve(name), "{\"half\":");
        }
        for (String name : kept) {
            Files.writeString(cdiRoot().resolve(name), "not ours");
        }

        StoredClaims stored = new ClaimSpecStore(cdiRoot()).list();

        assertEquals(Map.of(), stored.devicesByClaim());
        assertEquals(List.of(), stored.problems());
        assertEquals(kept.stream().sorted().toList(), namesIn(cdiRoot()));
    }

    @Test
    void listingDuringAWriteKeepsThatWritesTemporaryFile() throws Exception {
        ClaimSpecStore lister = new ClaimSpecStore(cdiRoot());
        List<String> seenMidWrite = new ArrayList<>();
        ClaimSpecStore writer = new ClaimSpecStore(cdiRoot(),
                new AtomicFileWriter(ClaimSpecStore.SPEC_FILE_MODE).withRenamer((from, to) -> {
                    try {
                        lister.list();
                    } catch (CdiException e) {
                        throw new IOException(e);
                    }
                    seenMidWrite.addAll(namesIn(cdiRoot()));
                    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                }));

        writer.write(UID, claimSpec(UID, "gpu-0"));

        assertEquals(1, seenMidWrite.size(), seenMidWrite.toString());
        assertTrue(seenMidWrite.get(0).startsWith("." + ClaimSpecs.fileName(UID) + "."), seenMidWrite.toString());
        assertEquals(List.of(ClaimSpecs.fileName(UID)), namesIn(cdiRoot()));
    }

    @Test
    void listingReportsBrokenFilesInsteadOfFailing() throws Exception {
        ClaimSpecStore store = new ClaimSpecStore(cdiRoot());
        store.write(UID, claimSpec(UID, "gpu-0"));
        Path corrupt = cdiRoot().resolve(ClaimSpecs.fileName(OTHER_UID));
        Files.writeString(corrupt, "{\"cdiVersion\": ");
        Files.writeString(cdiRoot().resolve("k8s.gpu.nvidia.com-claim_BAD.json"), "{}");

        StoredClaims stored = store.list();

        assertEquals(Map.of(UID, List.of("gpu-0")), stored.devicesByClaim());
        assertEquals(2, stored.problems().size(), stored.problems().toString());
        assertTrue(stored.problems().get(0).contains("k8s.gpu.nvidia.com-claim_BAD.json: the name does not hold a valid claim UID"),
                stored.problems().toString());
        assertTrue(stored.problems().get(1).startsWith(corrupt + ": invalid JSON"), stored.problems().toString());
    }

    @Test
    void listingAFileWhoseDevicesBelongToAnotherClaimIsAProblem() throws Exception {
        Files.createDirectories(cdiRoot());
        Files.writeString(cdiRoot().resolve(ClaimSpecs.fileName(UID)), SpecJson.toJson(claimSpec(OTHER_UID, "gpu-0")));

        StoredClaims stored = new ClaimSpecStore(cdiRoot()).list();

        assertEquals(Map.of(), stored.devicesByClaim());
        assertTrue(stored.problems().get(0).contains("does not start with the claim UID " + UID), stored.problems().toString());
    }

    @Test
    void listingAMissingDirectoryIsEmpty() throws Exception {
        StoredClaims stored = new ClaimSpecStore(cdiRoot()).list();

        assertEquals(Map.of(), stored.devicesByClaim());
        assertEquals(List.of(), stored.problems());
    }
}
