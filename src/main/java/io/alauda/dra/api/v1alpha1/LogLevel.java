package io.alauda.dra.api.v1alpha1;

/** Log level of the driver's pods (kubelet plugin and controller). */
public enum LogLevel {
    ERROR, WARN, INFO, DEBUG, TRACE
}
