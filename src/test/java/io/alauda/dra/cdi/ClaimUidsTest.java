package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimUidsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0b9c4e8e-5a41-4bd4-9d6a-1e7c3f2a7b10", "a", "claim-1", "x0"})
    void acceptsKubernetesUidsAndDnsLabels(String uid) throws Exception {
        assertEquals(uid, ClaimUids.requireValid(uid));
        assertTrue(ClaimUids.isValid(uid));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/x", "..", "a/b", "0B9C4E8E-5A41-4BD4-9D6A-1E7C3F2A7B10", "-a", "a-", "a_b",
            "a.b", "a b", "a\nb", " a"})
    void refusesAnythingThatCouldLeaveTheDirectoryOrBreakADeviceName(String uid) {
        CdiException e = assertThrows(CdiException.class, () -> ClaimUids.requireValid(uid));

        assertTrue(e.getMessage().contains("claim UID '" + ClaimUids.printable(uid) + "'"), e.getMessage());
        assertFalse(ClaimUids.isValid(uid));
    }

    @Test
    void refusesMissingAndOverlongUids() {
        assertThrows(CdiException.class, () -> ClaimUids.requireValid(null));
        assertThrows(CdiException.class, () -> ClaimUids.requireValid(""));
        assertTrue(ClaimUids.isValid("a".repeat(63)));
        assertThrows(CdiException.class, () -> ClaimUids.requireValid("a".repeat(64)));
    }

    @Test
    void errorMessagesShowControlCharactersEscaped() {
        CdiException e = assertThrows(CdiException.class, () -> ClaimUids.requireValid("a\nb"));

        assertTrue(e.getMessage().contains("'a\\u000ab'"), e.getMessage());
    }
}
