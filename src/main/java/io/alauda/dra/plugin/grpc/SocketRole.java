package io.alauda.dra.plugin.grpc;

/** The two sockets a DRA kubelet plugin serves. */
public enum SocketRole {
    /** {@code pluginregistration.Registration}, watched by kubelet's plugin watcher. */
    REGISTRATION,
    /** {@code v1.DRAPlugin} and {@code v1beta1.DRAPlugin}, dialled by kubelet after registration. */
    DRA
}
