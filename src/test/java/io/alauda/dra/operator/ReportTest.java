package io.alauda.dra.operator;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    @Test
    void aBlockingProblemNamesTheConditionEvenWhenAWarningCameFirst() {
        Report report = new Report();
        report.warn(Reason.NODE_LABEL_CONFLICT, "hami-node carries gpu=on");
        report.degrade(Reason.INVALID_SPEC, List.of("spec.controller.replicas must be between 0 and 5, got 9"));

        assertTrue(report.blocking());
        assertEquals(Reason.INVALID_SPEC, report.reason());
        assertEquals("hami-node carries gpu=on; spec.controller.replicas must be between 0 and 5, got 9", report.message());
    }

    @Test
    void warningsAloneDoNotBlockAndTheFirstOneNamesTheCondition() {
        Report report = new Report();
        report.warn(Reason.FEATURE_GATE_NOT_IMPLEMENTED, "TimeSlicingSettings");
        report.degrade(Reason.APPLY_FAILED, List.of("could not create DaemonSet"));

        assertFalse(report.blocking());
        assertEquals(Reason.FEATURE_GATE_NOT_IMPLEMENTED, report.reason());
        assertTrue(report.hasReason(Reason.APPLY_FAILED));
        assertEquals(Reason.AS_EXPECTED, new Report().reason());
    }

    @Test
    void aBlockingReasonCannotBeReportedAsAWarning() {
        assertThrows(IllegalArgumentException.class, () -> new Report().warn(Reason.DRA_NOT_SERVED, "no resource.k8s.io"));
    }

    /** The words are what admins and alerts match on: the ones the docs and the CRD's printer columns name. */
    @Test
    void theBlockingReasonsAreThoseThatStopTheInstall() {
        Set<String> blocking = Arrays.stream(Reason.values()).filter(Reason::blocking).map(Reason::word).collect(Collectors.toSet());

        assertEquals(Set.of("InvalidSpec", "KubernetesTooOld", "KubernetesVersionUnknown", "DRANotServed",
                "ResourceApiVersionNotServed", "Duplicate", "ReconcileFailed"), blocking);
    }
}
