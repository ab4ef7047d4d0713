package io.alauda.dra.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SemverTest {

    @ParameterizedTest
    @CsvSource({
        "580.159.04, 580.159.4",
        "550.163.01, 550.163.1",
        "580.95.05, 580.95.5",
        "9.0, 9.0.0",
        "13.0, 13.0.0",
        "8, 8.0.0",
        "v1.2.3, 1.2.3",
        "535.00.00, 535.0.0",
    })
    void looseVersionsBecomeStrictSemver(String raw, String semver) {
        assertEquals(semver, Semver.normalize(raw));
    }

    @ParameterizedTest
    @CsvSource({
        "13000, 13.0.0",
        "12020, 12.2.0",
        "12090, 12.9.0",
        "11080, 11.8.0",
    })
    void cudaDriverIntegerIsThousandTimesMajorPlusTenTimesMinor(int nvml, String semver) {
        assertEquals(semver, Semver.fromCudaDriverInteger(nvml));
    }

    @Test
    void textThatIsNotAVersionIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Semver.normalize("N/A"));
        assertTrue(e.getMessage().contains("'N/A'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Semver.normalize(null));
    }
}
