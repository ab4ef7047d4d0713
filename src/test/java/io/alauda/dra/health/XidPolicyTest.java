package io.alauda.dra.health;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XidPolicyTest {

    @Test
    void upstreamIgnoresItsApplicationXidsOnly() {
        XidPolicy policy = XidPolicy.upstream();
        for (long xid : List.of(13L, 31L, 43L, 45L, 68L, 109L)) {
            assertEquals(HealthEffect.NONE, policy.effect(xid), "XID " + xid);
        }
        for (long xid : List.of(48L, 63L, 64L, 74L, 79L, 92L, 94L, 95L, 119L, 999L)) {
            assertEquals(HealthEffect.NO_SCHEDULE, policy.effect(xid), "XID " + xid);
        }
    }

    @Test
    void additionalXidsAddToTheListWithSpacesAndEmptyEntriesAllowed() {
        XidPolicy policy = XidPolicy.withAdditional(" 48, ,79 ,");
        assertTrue(policy.ignored(48) && policy.ignored(79) && policy.ignored(13));
        assertFalse(policy.ignored(94));
        assertEquals(List.of(13L, 31L, 43L, 45L, 48L, 68L, 79L, 109L), List.copyOf(policy.ignoredXids()));
        assertEquals(Set.copyOf(XidPolicy.APPLICATION_XIDS), Set.copyOf(XidPolicy.withAdditional(null).ignoredXids()));
        assertEquals(Set.copyOf(XidPolicy.APPLICATION_XIDS), Set.copyOf(XidPolicy.withAdditional("").ignoredXids()));
    }

    @Test
    void aBadEntryIsRefusedWithTheVariableTheEntryAndTheForm() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> XidPolicy.withAdditional("48,7x9"));
        assertEquals("ADDITIONAL_XIDS_TO_IGNORE entry '7x9' is not an XID number; write XIDs as decimal numbers separated"
                + " by commas, e.g. 48,79", typo.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> XidPolicy.withAdditional("-5"));
        assertTrue(negative.getMessage().contains("'-5' is negative"), negative.getMessage());
        IllegalArgumentException semicolons = assertThrows(IllegalArgumentException.class, () -> XidPolicy.withAdditional("48;79"));
        assertTrue(semicolons.getMessage().contains("'48;79'"), semicolons.getMessage());
    }
}
