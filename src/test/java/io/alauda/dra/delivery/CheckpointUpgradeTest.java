package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.CheckpointRecovery;
import io.alauda.dra.plugin.checkpoint.CheckpointStore;
import io.alauda.dra.plugin.checkpoint.LoadOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin upgrade must not lose prepared claims: the new plugin reads the checkpoint the old one wrote. The plugin
 * package's CheckpointStoreTest covers the format in depth with the v1 fixture; this guards the release rule on top
 * of it: for every schema version up to the one this build writes there is a fixture in src/test/resources/plugin
 * (checkpoint-v{n}.json), and each loads with all its claims. Bumping the schema without keeping the older fixtures
 * loading, or without adding one for the new schema, fails here (docs/upgrade.md).
 */
class CheckpointUpgradeTest {

    @TempDir
    Path tmp;

    @Test
    void everySchemaUpToTheCurrentOneHasAFixtureThatLoads() throws IOException {
        int current = schemaWrittenByThisBuild();
        assertTrue(current >= 1);
        for (int schema = 1; schema <= current; schema++) {
            String name = "checkpoint-v" + schema + ".json";
            Path file = tmp.resolve("v" + schema).resolve("checkpoint.json");
            Files.createDirectories(file.getParent());
            try (InputStream in = getClass().getResourceAsStream("/plugin/" + name)) {
                assertNotNull(in, "src/test/resources/plugin/" + name + " is missing: keep one fixture per checkpoint schema");
                Files.write(file, in.readAllBytes());
            }
            List<CheckpointRecovery> recoveries = new ArrayList<>();
            // An unknown boot ID keeps the claims: the fixture was written on another machine.
            CheckpointStore store = new CheckpointStore(file, Optional::empty, recoveries::add);
            assertEquals(LoadOutcome.LOADED, store.load(), name);
            assertEquals(List.of(), recoveries, name);
            assertFalse(store.snapshot().isEmpty(), name + " loaded without claims");
        }
    }

    /** The schemaVersion a checkpoint written by this build carries. */
    private int schemaWrittenByThisBuild() throws IOException {
        Path file = tmp.resolve("current").resolve("checkpoint.json");
        CheckpointStore store = new CheckpointStore(file, () -> Optional.of("boot-1"), r -> {
        });
        store.load();
        store.putStarted(new ResourceClaimRef("default", "uid-1", "claim"));
        return new ObjectMapper().readTree(file.toFile()).path("schemaVersion").asInt();
    }
}
