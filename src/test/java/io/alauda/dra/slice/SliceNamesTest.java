package io.alauda.dra.slice;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SliceNamesTest {

    @Test
    void generateNameStartsWithAFiveDigitHexIndex() {
        assertEquals("00000-gpu.nvidia.com-node-a-", SliceNames.generateName(0, 1, "node-a"));
        assertEquals("0000a-gpu.nvidia.com-node-a-", SliceNames.generateName(10, 11, "node-a"));
    }

    @Test
    void theIndexWidensOnlyWhenFiveHexDigitsAreNotEnough() {
        assertEquals(5, SliceNames.indexWidth(1));
        assertEquals(5, SliceNames.indexWidth(0x100000)); // highest index 0xfffff
        assertEquals(6, SliceNames.indexWidth(0x100001)); // highest index 0x100000
        assertEquals("000010-gpu.nvidia.com-n-", SliceNames.generateName(16, 0x100001, "n"));
    }

    @Test
    void theIndexIsReadBackFromANameTheServerCompleted() {
        assertEquals(OptionalInt.of(0), SliceNames.index("00000-gpu.nvidia.com-node-a-x7k2p", 1));
        assertEquals(OptionalInt.of(26), SliceNames.index("0001a-gpu.nvidia.com-node-a-x7k2p", 30));
    }

    @Test
    void namesOfOtherConventionsHaveNoIndex() {
        // the older helper's <node>-<driver>- names, hand-made names, and a non-hex prefix of the right width
        assertEquals(OptionalInt.empty(), SliceNames.index("node-a-gpu.nvidia.com-x7k2p", 1));
        assertEquals(OptionalInt.empty(), SliceNames.index("my-slice", 1));
        assertEquals(OptionalInt.empty(), SliceNames.index("zzzzz-gpu.nvidia.com-node-a-x7k2p", 1));
        assertEquals(OptionalInt.empty(), SliceNames.index(null, 1));
    }
}
