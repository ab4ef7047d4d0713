package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.proto.registration.InfoRequest;
import io.alauda.dra.plugin.proto.registration.PluginInfo;
import io.alauda.dra.plugin.proto.registration.RegistrationGrpc;
import io.alauda.dra.plugin.proto.registration.RegistrationStatus;
import io.alauda.dra.plugin.proto.registration.RegistrationStatusResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code pluginregistration.Registration}, served on the registration socket kubelet's plugin watcher finds.
 * GetInfo answers from memory: kubelet gives it a one-second deadline and retries, so it must never wait on
 * hardware or the API server.
 */
public final class RegistrationService extends RegistrationGrpc.RegistrationImplBase {

    public static final String PLUGIN_TYPE = "DRAPlugin";

    /** Kubelet walks this list in our order and takes the first entry it speaks, so the newest goes first. */
    public static final List<String> SUPPORTED_VERSIONS =
            List.of(DraV1Service.REGISTRATION_NAME, DraV1beta1Service.REGISTRATION_NAME);

    private static final Logger LOG = Logger.getLogger(RegistrationService.class);

    private final PluginInfo info;
    private final RegistrationState state;

    /**
     * @param driverName DRA driver name, e.g. {@code gpu.nvidia.com}
     * @param draSocket  the DRA service socket; kubelet dials it by this exact path, so it must be absolute
     */
    public RegistrationService(String driverName, Path draSocket, RegistrationState state) {
        this(driverName, draSocket, state, SUPPORTED_VERSIONS);
    }

    /**
     * @param supportedVersions the gRPC services on the DRA socket, as kubelet names them: the DRAPlugin versions, and
     *                          {@link DeviceHealthStream#REGISTRATION_NAME} where the health stream is served (kubelet
     *                          opens it only when advertised)
     */
    public RegistrationService(String driverName, Path draSocket, RegistrationState state, List<String> supportedVersions) {
        if (!draSocket.isAbsolute()) {
            throw new IllegalArgumentException("DRA socket path " + draSocket
                    + " is relative; kubelet dials the endpoint as given, so pass an absolute path");
        }
        this.info = PluginInfo.newBuilder()
                .setType(PLUGIN_TYPE)
                .setName(driverName)
                .setEndpoint(draSocket.toString())
                .addAllSupportedVersions(supportedVersions)
                .build();
        this.state = state;
    }

    @Override
    public void getInfo(InfoRequest request, StreamObserver<PluginInfo> observer) {
        observer.onNext(info);
        observer.onCompleted();
    }

    @Override
    public void notifyRegistrationStatus(RegistrationStatus status, StreamObserver<RegistrationStatusResponse> observer) {
        state.record(status.getPluginRegistered(), status.getError());
        if (status.getPluginRegistered()) {
            LOG.infof("kubelet registered DRA driver %s (endpoint %s, versions %s)",
                    info.getName(), info.getEndpoint(), info.getSupportedVersionsList());
            observer.onNext(RegistrationStatusResponse.getDefaultInstance());
            observer.onCompleted();
            return;
        }
        LOG.errorf("kubelet refused to register DRA driver %s (endpoint %s, versions %s): %s",
                info.getName(), info.getEndpoint(), info.getSupportedVersionsList(), status.getError());
        // Same answer as the upstream Go helper: the notification is recorded, and the refusal is returned as an
        // error (grpc-go turns a plain error into UNKNOWN).
        observer.onError(Status.UNKNOWN
                .withDescription("failed registration process: " + status.getError())
                .asRuntimeException());
    }
}
