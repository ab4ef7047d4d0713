package io.alauda.dra.controller;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeSelectionTest {

    private final NodeSelection selection = NodeSelection.parse("nvidia-device-enable=pgpu-dra", "gpu=on");

    @Test
    void selectsNodesWithEverySelectorLabelAndNoConflictingOne() {
        assertTrue(selection.selects(Map.of("nvidia-device-enable", "pgpu-dra", "gpu", "off")));
        assertFalse(selection.selects(Map.of("nvidia-device-enable", "pgpu-dra", "gpu", "on")));
        assertFalse(selection.selects(Map.of("nvidia-device-enable", "other")));
        assertFalse(selection.selects(null));
    }

    @Test
    void parsesCommaSeparatedPairsAndNothingForBlank() {
        NodeSelection parsed = NodeSelection.parse(" a=1 , b = 2 ", "");
        assertEquals(Map.of("a", "1", "b", "2"), parsed.selector());
        assertEquals(Map.of(), parsed.conflicting());
        assertThrows(IllegalArgumentException.class, () -> NodeSelection.parse("novalue", ""));
    }
}
