package io.alauda.dra.operator;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    @Test
    void aBlockingProblemNamesTheConditionEvenWhenAWarningCameFirst() {
        Report report = new Report();
        report.add(Reason.NAMESPACE_IN_USE, "gpu-old", "nvidia-dra-driver-gpu-kubelet-plugin-x7k2p");
        report.add(Reason.INVALID_SPEC, "spec.controller.replicas must be between 0 and 5, got 9");

        assertTrue(report.blocking());
        assertEquals(Reason.INVALID_SPEC, report.reason());
        assertEquals("namespace gpu-old was created by the operator for a previous spec.namespace and is kept because pods still "
                + "run there (nvidia-dra-driver-gpu-kubelet-plugin-x7k2p); delete it by hand once they are moved; "
                + "spec.controller.replicas must be between 0 and 5, got 9", report.message());
    }

    @Test
    void warningsAloneDoNotBlockAndTheFirstOneNamesTheCondition() {
        Report report = new Report();
        report.add(Reason.FEATURE_GATE_NOT_IMPLEMENTED, "TimeSlicingSettings");
        report.add(Reason.APPLY_FAILED, "create", "DaemonSet gpu/plugin", "forbidden");

        assertFalse(report.blocking());
        assertEquals(Reason.FEATURE_GATE_NOT_IMPLEMENTED, report.reason());
        assertTrue(report.hasReason(Reason.APPLY_FAILED));
        assertTrue(report.message().endsWith("; could not create DaemonSet gpu/plugin: forbidden"), report.message());
        assertEquals(Reason.AS_EXPECTED, new Report().reason());
    }

    /** The words are what admins and alerts match on: the ones the docs and the CRD's printer columns name. */
    @Test
    void theBlockingReasonsAreThoseThatStopTheInstall() {
        Set<String> blocking = Arrays.stream(Reason.values()).filter(Reason::blocking).map(Reason::word).collect(Collectors.toSet());

        assertEquals(Set.of("InvalidSpec", "KubernetesTooOld", "KubernetesVersionUnknown", "DRANotServed",
                "ResourceApiVersionNotServed", "Duplicate", "ReconcileFailed"), blocking);
    }

    /** A template that asks for more details than a caller can give would throw in the middle of a reconcile. */
    @Test
    void everyTemplateTakesItsDetailsAndLeavesNoPlaceholder() {
        for (Reason reason : Reason.values()) {
            String message = reason.message("X", "Y", "Z");
            assertFalse(message.contains("%"), reason + ": " + message);
            assertFalse(message.isBlank(), reason.name());
        }
        assertEquals("3 node(s) carry both spec.nodeSelector and a label of spec.conflictingNodeLabels, so they get no kubelet "
                + "plugin: a, b, c; remove one of the labels from each", Reason.NODE_LABEL_CONFLICT.message(3, "a, b, c"));
    }
}
