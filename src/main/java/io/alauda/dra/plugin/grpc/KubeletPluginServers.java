package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.api.DraRequestHandler;
import io.grpc.BindableService;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet-facing sockets of the plugin, started and stopped in the order kubelet needs.
 *
 * <p>Start: the DRA socket first, the registration socket last, because kubelet dials the DRA endpoint as soon as it
 * sees the registration socket. Stop: the registration socket first (its removal is how kubelet learns the plugin is
 * going away), then the device health streams, then the DRA socket.
 */
public final class KubeletPluginServers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubeletPluginServers.class);

    private final KubeletPluginPaths paths;
    private final RegistrationState registrationState;
    private final SocketLifecycleListener listener;
    private final UnixSocketGrpcServer draServer;
    private final UnixSocketGrpcServer registrationServer;
    private final DeviceHealthStream healthStream;
    private boolean stopped;

    private KubeletPluginServers(KubeletPluginPaths paths, RegistrationState registrationState,
                                 SocketLifecycleListener listener, UnixSocketGrpcServer draServer,
                                 UnixSocketGrpcServer registrationServer, DeviceHealthStream healthStream) {
        this.paths = paths;
        this.registrationState = registrationState;
        this.listener = listener;
        this.draServer = draServer;
        this.registrationServer = registrationServer;
        this.healthStream = healthStream;
    }

    public static KubeletPluginServers start(KubeletPluginPaths paths, DraRequestHandler handler) throws IOException {
        return start(paths, handler, new RegistrationState(), SocketLifecycleListener.NONE);
    }

    /**
     * Serves both sockets. If the registration socket cannot be bound, the DRA socket is stopped again, so a failed
     * start leaves nothing behind.
     */
    public static KubeletPluginServers start(KubeletPluginPaths paths, DraRequestHandler handler,
                                             RegistrationState registrationState, SocketLifecycleListener listener)
            throws IOException {
        return start(paths, handler, registrationState, listener, null);
    }

    /**
     * @param healthStream the device health service to serve beside DRAPlugin and to advertise, or null for none (the
     *                     NVMLDeviceHealthCheck gate is off); closed when the servers stop
     */
    public static KubeletPluginServers start(KubeletPluginPaths paths, DraRequestHandler handler,
                                             RegistrationState registrationState, SocketLifecycleListener listener,
                                             DeviceHealthStream healthStream)
            throws IOException {
        List<BindableService> draServices = new ArrayList<>(List.of(new DraV1Service(handler), new DraV1beta1Service(handler)));
        List<String> versions = new ArrayList<>(RegistrationService.SUPPORTED_VERSIONS);
        if (healthStream != null) {
            draServices.add(healthStream);
            versions.add(DeviceHealthStream.REGISTRATION_NAME);
        }
        UnixSocketGrpcServer dra = UnixSocketGrpcServer.start(paths.draSocket(), draServices);
        notifyServing(listener, SocketRole.DRA, paths.draSocket());
        UnixSocketGrpcServer registration;
        try {
            registration = UnixSocketGrpcServer.start(paths.registrationSocket(), List.of(
                    new RegistrationService(KubeletPluginPaths.DRIVER_NAME, paths.draSocket(), registrationState, versions)));
        } catch (IOException | RuntimeException e) {
            dra.stop(Duration.ZERO);
            notifyRemoved(listener, SocketRole.DRA, paths.draSocket());
            throw e;
        }
        notifyServing(listener, SocketRole.REGISTRATION, paths.registrationSocket());
        LOG.infof("kubelet plugin %s ready: registration socket %s, DRA socket %s",
                KubeletPluginPaths.DRIVER_NAME, paths.registrationSocket(), paths.draSocket());
        return new KubeletPluginServers(paths, registrationState, listener, dra, registration, healthStream);
    }

    public KubeletPluginPaths paths() {
        return paths;
    }

    public RegistrationState registrationState() {
        return registrationState;
    }

    /** Deregisters (registration socket first), then stops the DRA socket. Idempotent. */
    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        registrationServer.stop(grace);
        notifyRemoved(listener, SocketRole.REGISTRATION, registrationServer.socketPath());
        if (healthStream != null) {
            healthStream.close(); // its streams never end by themselves, and the DRA server would wait out its grace for them
        }
        draServer.stop(grace);
        notifyRemoved(listener, SocketRole.DRA, draServer.socketPath());
    }

    // A failing listener must not keep a socket from starting or stopping.
    private static void notifyServing(SocketLifecycleListener listener, SocketRole role, Path socket) {
        try {
            listener.onServing(role, socket);
        } catch (RuntimeException e) {
            LOG.warnf(e, "socket listener failed on %s serving", role);
        }
    }

    private static void notifyRemoved(SocketLifecycleListener listener, SocketRole role, Path socket) {
        try {
            listener.onRemoved(role, socket);
        } catch (RuntimeException e) {
            LOG.warnf(e, "socket listener failed on %s removed", role);
        }
    }

    @Override
    public void close() {
        stop(UnixSocketGrpcServer.DEFAULT_GRACE);
    }
}
