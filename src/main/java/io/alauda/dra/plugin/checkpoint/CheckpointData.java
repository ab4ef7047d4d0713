package io.alauda.dra.plugin.checkpoint;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content of a checkpoint file, independent of its JSON shape.
 *
 * @param nodeBootId boot ID of the node when the file was written, or {@code null} if it was unknown
 * @param claims     claim UID → entry, sorted by UID
 */
record CheckpointData(String nodeBootId, Map<String, CheckpointEntry> claims) {

    CheckpointData {
        claims = Collections.unmodifiableMap(new TreeMap<>(claims));
    }

    static CheckpointData empty(String nodeBootId) {
        return new CheckpointData(nodeBootId, Map.of());
    }
}
