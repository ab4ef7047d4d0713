package io.alauda.dra.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFileWriterTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void writesTheContentWithTheGivenModeAndLeavesNoTemporaryFile() throws IOException {
        Path spec = dir.resolve("spec.json");
        Path checkpoint = dir.resolve("checkpoint.json");

        new AtomicFileWriter(0644).write(spec, bytes("{}\n"));
        new AtomicFileWriter(0600).write(checkpoint, bytes("{\"a\": 1}"));

        assertEquals("{}\n", Files.readString(spec));
        assertEquals("rw-r--r--", mode(spec));
        assertEquals("{\"a\": 1}", Files.readString(checkpoint));
        assertEquals("rw-------", mode(checkpoint));
        assertEquals(List.of("checkpoint.json", "spec.json"), names());
        assertEquals("rw-r--r--", new AtomicFileWriter(0644).mode());
    }

    @Test
    void rewritingReplacesTheContentAndAppliesTheMode() throws IOException {
        Path file = dir.resolve("a.json");
        Files.writeString(file, "old, and longer than the new content");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxrwxrwx"));

        new AtomicFileWriter(0644).write(file, bytes("new"));

        assertEquals("new", Files.readString(file));
        assertEquals("rw-r--r--", mode(file));
    }

    @Test
    void theTemporaryFileIsADotFileNotEndingInJsonBesideTheTargetWithTheFinalMode() throws IOException {
        Path file = dir.resolve("k8s.gpu.nvidia.com-claim_x.json");
        List<String> seen = new ArrayList<>();
        AtomicFileWriter writer = new AtomicFileWriter(0600).withRenamer((temp, target) -> {
            seen.add(temp.getParent().equals(dir) ? temp.getFileName().toString() : "elsewhere: " + temp);
            seen.add(mode(temp));
            seen.add(Files.readString(temp));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        });

        writer.write(file, bytes("content"));

        String temp = seen.get(0);
        assertTrue(temp.startsWith(".k8s.gpu.nvidia.com-claim_x.json.") && temp.endsWith(".tmp"), temp);
        assertFalse(temp.endsWith(".json"), temp);
        assertEquals(Optional.of(file.getFileName().toString()), AtomicFileWriter.targetNameOf(temp));
        assertEquals("rw-------", seen.get(1));
        assertEquals("content", seen.get(2), "content is complete before the rename");
    }

    @Test
    void aFailedRenameLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = Files.writeString(dir.resolve("a.json"), "old");
        AtomicFileWriter failing = new AtomicFileWriter(0644).withRenamer((temp, target) -> {
            throw new IOException("disk full");
        });

        IOException e = assertThrows(IOException.class, () -> failing.write(file, bytes("new")));

        assertTrue(e.getMessage().contains("cannot write " + file) && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("a.json"), names());
    }

    @Test
    void aContentWriteFailingHalfWayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = Files.writeString(dir.resolve("a.json"), "old");
        AtomicFileWriter half = new AtomicFileWriter(0644).withContentWriter((channel, content) -> {
            ByteBuffer first = content.slice();
            first.limit(content.remaining() / 2);
            channel.write(first);
            throw new IOException("disk full");
        });

        IOException e = assertThrows(IOException.class, () -> half.write(file, bytes("new content")));

        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("a.json"), names());
    }

    @Test
    void aSymlinkAtTheTargetIsRefusedAndItsTargetUntouched() throws IOException {
        Path victim = Files.writeString(Files.createDirectories(dir.resolve("elsewhere")).resolve("victim"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("a.json"), victim);

        IOException e = assertThrows(IOException.class, () -> new AtomicFileWriter(0644).write(link, bytes("evil")));

        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(List.of("a.json", "elsewhere"), names());
    }

    @Test
    void aDirectoryAtTheTargetIsRefused() throws IOException {
        Path target = Files.createDirectory(dir.resolve("a.json"));

        IOException e = assertThrows(IOException.class, () -> new AtomicFileWriter(0644).write(target, bytes("x")));

        assertTrue(e.getMessage().contains("a directory is in the way"), e.getMessage());
        assertTrue(Files.isDirectory(target));
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path file = dir.resolve("missing/a.json");

        IOException e = assertThrows(IOException.class, () -> new AtomicFileWriter(0644).write(file, bytes("x")));

        assertEquals("cannot write " + file + ": directory " + dir.resolve("missing")
                + " does not exist; create it or choose another path", e.getMessage());
    }

    @Test
    void aDirectoryThatCannotBeFlushedAfterTheRenameIsReportedApart() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path moved = dir.resolve("moved");
        // The directory vanishing between the rename and its flush stands in for a file system that cannot flush one.
        AtomicFileWriter writer = new AtomicFileWriter(0644).withRenamer((temp, target) -> {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            Files.move(sub, moved);
        });

        AtomicFileWriter.DirectorySyncException e = assertThrows(AtomicFileWriter.DirectorySyncException.class,
                () -> writer.write(sub.resolve("a.json"), bytes("new")));

        assertTrue(e.getMessage().startsWith("wrote " + sub.resolve("a.json") + ", but could not flush directory " + sub),
                e.getMessage());
        assertEquals("new", Files.readString(moved.resolve("a.json")), "the content is in place");
    }

    @Test
    void modesOutsidePermissionBitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AtomicFileWriter(01644));
        assertThrows(IllegalArgumentException.class, () -> new AtomicFileWriter(-1));
    }

    @Test
    void leftoversOfTheTargetAreRemovedInBothNamingsAndNothingElse() throws IOException {
        Path target = dir.resolve("checkpoint.json");
        List<String> leftovers = List.of(".checkpoint.json.123456.tmp", ".checkpoint.json.0011aabb22cc33dd.tmp",
                ".checkpoint.json.tmp-0011");
        List<String> kept = List.of("checkpoint.json", ".checkpoint.json", ".checkpoint.json.tmp",
                ".other.json.123456.tmp", "checkpoint.json.corrupt-20261126T100000.000Z", ".checkpoint.jsonx.1.tmp");
        for (String name : leftovers) {
            Files.writeString(dir.resolve(name), "{\"half\":");
        }
        for (String name : kept) {
            Files.writeString(dir.resolve(name), "keep");
        }
        Files.createDirectory(dir.resolve(".checkpoint.json.dir.tmp"));

        List<Path> removed = AtomicFileWriter.removeLeftovers(target);

        assertEquals(leftovers.stream().sorted().map(dir::resolve).toList(), removed);
        List<String> expected = new ArrayList<>(kept);
        expected.add(".checkpoint.json.dir.tmp");
        assertEquals(expected.stream().sorted().toList(), names());
    }

    @Test
    void leftoversInAMissingDirectoryAreNone() throws IOException {
        assertEquals(List.of(), AtomicFileWriter.removeLeftovers(dir.resolve("missing/checkpoint.json")));
    }

    @Test
    void theTemporaryFileOfAWriteInProgressIsNotALeftover() throws IOException {
        Path file = dir.resolve("a.json");
        List<Path> removedMidWrite = new ArrayList<>();
        AtomicFileWriter writer = new AtomicFileWriter(0644).withRenamer((temp, target) -> {
            removedMidWrite.addAll(AtomicFileWriter.removeLeftovers(target));
            assertFalse(AtomicFileWriter.removeIfLeftover(temp, name -> true));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        });

        writer.write(file, bytes("x"));

        assertEquals(List.of(), removedMidWrite);
        assertEquals("x", Files.readString(file));
    }

    @Test
    void temporaryNamesMapToTheirTargets() {
        assertEquals(Optional.of("a.json"), AtomicFileWriter.targetNameOf(".a.json.0123.tmp"));
        assertEquals(Optional.of("a.json"), AtomicFileWriter.targetNameOf(".a.json.tmp-0123"));
        assertEquals(Optional.of("a"), AtomicFileWriter.targetNameOf(".a.json.tmp"));
        assertEquals(Optional.empty(), AtomicFileWriter.targetNameOf("a.json.0123.tmp"));
        assertEquals(Optional.empty(), AtomicFileWriter.targetNameOf(".a.json"));
        assertEquals(Optional.empty(), AtomicFileWriter.targetNameOf(".a.json.tmp-"));
        assertEquals(Optional.empty(), AtomicFileWriter.targetNameOf(".json.tmp"));
    }
}
