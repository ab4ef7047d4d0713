package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Claim identities that could reach a file name or a URL are refused before anything is touched. */
@EnableKubernetesMockClient(crud = true)
class HostileInputTest extends PreparerTestBase {

    private static final String GOOD_UID = "0b9c4e8e-5a41-4bd4-9d6a-1e7c3f2a7b10";

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/x", "x/../../victim", "ABC-upper", "-leading-dash", "a.b"})
    void badUidIsRefusedWithoutAnyRequestOrFile(String uid) throws Exception {
        Path victim = tmp.resolve("victim.json");
        Files.writeString(victim, "keep me");
        int requests = server.getRequestCount();

        NodePrepareResult prepared = prepare(new ResourceClaimRef("team-a", uid, "train"));
        String unprepared = unprepare(new ResourceClaimRef("team-a", uid, "train"));

        assertContains("claim UID '" + uid + "' is not valid", prepared.error());
        assertTrue(!unprepared.isEmpty(), "unprepare must refuse the UID too");
        assertEquals(ClaimErrorType.INVALID_REQUEST, observer.errors.get(0).type());
        assertEquals(requests, server.getRequestCount());
        assertEquals("keep me", Files.readString(victim));
        assertEquals(List.of(), node.files());
    }

    @Test
    void missingUidIsNamedAsMissing() {
        assertContains("claim UID is missing", prepare(new ResourceClaimRef("team-a", "", "train")).error());
    }

    @Test
    void controlCharactersAreEscapedInTheMessage() {
        NodePrepareResult result = prepare(new ResourceClaimRef("team-a", "abc\nFAKE LOG LINE", "train"));

        assertContains("claim UID 'abc\\u000aFAKE LOG LINE' is not valid", result.error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Team_A", "../kube-system", "a/b", "-x", ""})
    void badNamespaceIsRefusedBeforeTheApiServerIsAsked(String namespace) {
        int requests = server.getRequestCount();

        NodePrepareResult result = prepare(new ResourceClaimRef(namespace, GOOD_UID, "train"));

        assertContains("claim namespace '" + namespace + "' is not a valid namespace name", result.error());
        assertEquals(requests, server.getRequestCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "train?watch=true", "x..y", "Upper", "%2e%2e"})
    void badNameIsRefusedBeforeTheApiServerIsAsked(String name) {
        int requests = server.getRequestCount();

        NodePrepareResult result = prepare(new ResourceClaimRef("team-a", GOOD_UID, name));

        assertContains("claim name '" + name + "' is not a valid ResourceClaim name", result.error());
        assertEquals(requests, server.getRequestCount());
    }

    @Test
    void longestValidNamesPass() {
        String name = "a".repeat(100) + "." + "b".repeat(152);
        String namespace = "n".repeat(63);

        NodePrepareResult result = prepare(new ResourceClaimRef(namespace, GOOD_UID, name));

        assertContains("was not found", result.error());
    }

    @Test
    void tooLongNamesAreRefused() {
        assertContains("is not a valid ResourceClaim name",
                prepare(new ResourceClaimRef("team-a", GOOD_UID, "a".repeat(254))).error());
        assertContains("is not a valid namespace name",
                prepare(new ResourceClaimRef("n".repeat(64), GOOD_UID, "train")).error());
    }
}
