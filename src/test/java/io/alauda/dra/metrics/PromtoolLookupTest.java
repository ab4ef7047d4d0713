package io.alauda.dra.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without promtool the metric and rule tests fail and say how to get it, rather than skip unnoticed. */
class PromtoolLookupTest {

    @Test
    void aMissingPromtoolFailsTheTestWithTheInstallCommand(@TempDir Path empty) {
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> Promtool.executableOn(empty.toString()));
        assertTrue(failure.getMessage().contains("apt-get install -y prometheus"), failure.getMessage());
    }
}
