package io.alauda.dra.slice;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SliceNamesTest {

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /**
     * Whether the API server creates a ResourceSlice from this generateName: the generateName must be a DNS subdomain
     * once its trailing dash is masked (apimachinery NameIsDNSSubdomain with prefix=true: the last two characters
     * become "a"), at most 253 characters; then the server keeps its first 58 characters, appends 5 random ones
     * (apiserver pkg/storage/names) and validates that name as a DNS subdomain as well.
     */
    private static boolean serverAccepts(String generateName) {
        String masked = generateName.endsWith("-") && generateName.length() > 1
                ? generateName.substring(0, generateName.length() - 2) + "a" : generateName;
        String generated = generateName.substring(0, Math.min(58, generateName.length())) + "x7k2p";
        return masked.length() <= 253 && DNS_SUBDOMAIN.matcher(masked).matches()
                && generated.length() <= 63 && DNS_SUBDOMAIN.matcher(generated).matches();
    }

    @Test
    void generateNameIsTheNodeThenTheDriverAsTheSeedShows() {
        // the user documentation's slice: generateName: 192.168.140.59-gpu.nvidia.com-
        assertEquals("192.168.140.59-gpu.nvidia.com-", SliceNames.generateName("192.168.140.59"));
        assertEquals("node-a-gpu.nvidia.com-", SliceNames.generateName("node-a"));
        assertTrue(serverAccepts(SliceNames.generateName("192.168.140.59")));
    }

    @Test
    void aNodeNameThatStillFitsIsKeptWhole() {
        // 237 + "-gpu.nvidia.com-" (16) = 253: the longest generateName the API server accepts
        String node = "n".repeat(237);
        assertEquals(node + "-gpu.nvidia.com-", SliceNames.generateName(node));
        assertTrue(serverAccepts(SliceNames.generateName(node)));
        // one more is cut: the server's check would still pass 254 characters (masking the final dash shortens the
        // name it checks by one), but the name it makes is 58 characters of either, so nothing is lost by not
        // relying on that quirk
        assertEquals("n".repeat(57) + "-", SliceNames.generateName("n".repeat(238)));
        assertFalse(serverAccepts("n".repeat(239) + "-gpu.nvidia.com-"), "255 characters are refused");
    }

    @Test
    void aLongerNodeNameIsCutToWhatTheServerWouldKeep() {
        // a 253-character node (the longest a Node can have) would give a 269-character generateName, which the
        // API server refuses; it keeps only 58 characters of a generateName anyway
        String node = ("abcdefghij".repeat(25) + "abc");
        assertEquals(253, node.length());
        String generateName = SliceNames.generateName(node);
        assertEquals(node.substring(0, 57) + "-", generateName);
        assertEquals(58, generateName.length());
        assertTrue(serverAccepts(generateName), generateName);
    }

    @Test
    void theCutNeverLeavesADotBeforeTheFinalDash() {
        // the 57th character kept is a '.': "x.-" plus the random suffix would be a label starting with '-'
        assertFalse(serverAccepts("x".repeat(56) + ".-"));
        String node = "x".repeat(56) + "." + "y".repeat(196);
        assertEquals(253, node.length());
        String generateName = SliceNames.generateName(node);
        assertEquals("x".repeat(56) + "-", generateName);
        assertTrue(serverAccepts(generateName), generateName);
        // a dash there is merged with the final one instead of doubling it
        assertEquals("x".repeat(56) + "-", SliceNames.generateName("x".repeat(56) + "-" + "y".repeat(196)));
    }

    @Test
    void theIndexLabelIsCanonicalDecimal() {
        assertEquals("0", SliceNames.labels(0).get(SliceNames.LABEL_SLICE_INDEX));
        assertEquals("26", SliceNames.labels(26).get(SliceNames.LABEL_SLICE_INDEX));
        assertEquals(OptionalInt.of(0), SliceNames.labelIndex(Map.of(SliceNames.LABEL_SLICE_INDEX, "0")));
        assertEquals(OptionalInt.of(26), SliceNames.labelIndex(SliceNames.labels(26)));
    }

    @Test
    void labelValuesThatAreNotACanonicalIndexGiveNone() {
        for (String value : new String[] {"", "-1", "01", "1a", "0x1", " 1", "9999999999"}) {
            assertEquals(OptionalInt.empty(), SliceNames.labelIndex(Map.of(SliceNames.LABEL_SLICE_INDEX, value)), value);
        }
        assertEquals(OptionalInt.empty(), SliceNames.labelIndex(Map.of()));
        assertEquals(OptionalInt.empty(), SliceNames.labelIndex(null));
        Map<String, String> otherLabelsOnly = new HashMap<>(SliceNames.labels(3));
        otherLabelsOnly.remove(SliceNames.LABEL_SLICE_INDEX);
        assertEquals(OptionalInt.empty(), SliceNames.labelIndex(otherLabelsOnly));
    }

    @Test
    void thePreviousReleasesHexIndexIsReadBackFromItsNames() {
        assertEquals(OptionalInt.of(0), SliceNames.legacyIndex("00000-gpu.nvidia.com-node-a-x7k2p", 1));
        assertEquals(OptionalInt.of(26), SliceNames.legacyIndex("0001a-gpu.nvidia.com-node-a-x7k2p", 30));
        // the previous release widened the index only when five hex digits were not enough
        assertEquals(5, SliceNames.legacyIndexWidth(0x100000)); // highest index 0xfffff
        assertEquals(6, SliceNames.legacyIndexWidth(0x100001)); // highest index 0x100000
        assertEquals(OptionalInt.of(16), SliceNames.legacyIndex("000010-gpu.nvidia.com-n-x7k2p", 0x100001));
    }

    @Test
    void namesOfOtherConventionsHaveNoLegacyIndex() {
        // the new names, hand-made names, a non-hex prefix of the right width, and a hex prefix not followed by
        // our driver
        assertEquals(OptionalInt.empty(), SliceNames.legacyIndex("node-a-gpu.nvidia.com-x7k2p", 1));
        assertEquals(OptionalInt.empty(), SliceNames.legacyIndex("my-slice", 1));
        assertEquals(OptionalInt.empty(), SliceNames.legacyIndex("zzzzz-gpu.nvidia.com-node-a-x7k2p", 1));
        assertEquals(OptionalInt.empty(), SliceNames.legacyIndex("00000-other.example.com-node-a-x7k2p", 1));
        assertEquals(OptionalInt.empty(), SliceNames.legacyIndex(null, 1));
    }
}
