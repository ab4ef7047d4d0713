package io.alauda.dra.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QuantitiesTest {

    /** Expected values are the API server's canonical BinarySI forms, worked out by hand. */
    @ParameterizedTest
    @CsvSource({
        "85520809984, 81559Mi",   // 81559 * 1024 * 1024: an H100 80GB HBM3
        "5100273664, 4864Mi",     // 4864 MiB: an A100 1g.5gb MIG profile
        "42949672960, 40Gi",
        "1073741824, 1Gi",
        "1024, 1Ki",
        "1048576, 1Mi",
        "1024000, 1000Ki",
        "1536, 1536",             // not a whole multiple of 1024
        "1023, 1023",
        "1000, 1k",               // below 1024 the API server uses DecimalSI
        "14, 14",
        "1, 1",
        "0, 0",
    })
    void rendersTheCanonicalBinarySiForm(long value, String quantity) {
        assertEquals(quantity, Quantities.binarySI(value));
    }

    @Test
    void negativeQuantityIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Quantities.binarySI(-1));
    }
}
