package io.alauda.dra.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QuantitiesTest {

    /**
     * Expected values are the API server's canonical BinarySI forms, worked out by hand; the large ones were also
     * checked against k8s.io/apimachinery v0.34.4 resource.NewQuantity(v, BinarySI).String(), which is what upstream
     * publishes GPU memory with.
     */
    @ParameterizedTest
    @CsvSource({
        "85520809984, 81559Mi",   // 81559 * 1024 * 1024: an H100 80GB HBM3
        "17179869184, 16Gi",      // 16 * 1024^3: the seed's Tesla P100-PCIE-16GB
        "17070817280, 16280Mi",   // 16280 MiB: exact, never rounded to 16Gi
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
