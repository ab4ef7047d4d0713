package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.api.DraRequestHandler;
import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.proto.drav1.Claim;
import io.alauda.dra.plugin.proto.drav1.DRAPluginGrpc;
import io.alauda.dra.plugin.proto.drav1.Device;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourceResponse;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesResponse;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourceResponse;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourcesResponse;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.Map;

/** {@code k8s.io.kubelet.pkg.apis.dra.v1.DRAPlugin} (registration string {@code v1.DRAPlugin}) over the handler. */
public final class DraV1Service extends DRAPluginGrpc.DRAPluginImplBase {

    public static final String REGISTRATION_NAME = "v1.DRAPlugin";

    private final KubeletRequestDispatcher dispatcher;

    public DraV1Service(DraRequestHandler handler) {
        this.dispatcher = new KubeletRequestDispatcher(handler);
    }

    @Override
    public void nodePrepareResources(NodePrepareResourcesRequest request,
                                     StreamObserver<NodePrepareResourcesResponse> observer) {
        UnaryResponder.respond("v1 NodePrepareResources", observer, () -> {
            Map<String, NodePrepareResult> results = dispatcher.prepare(claims(request.getClaimsList()),
                    GrpcCallCancellation.ofCurrentCall());
            NodePrepareResourcesResponse.Builder response = NodePrepareResourcesResponse.newBuilder();
            results.forEach((uid, result) -> response.putClaims(uid, toProto(result)));
            return response.build();
        });
    }

    @Override
    public void nodeUnprepareResources(NodeUnprepareResourcesRequest request,
                                       StreamObserver<NodeUnprepareResourcesResponse> observer) {
        UnaryResponder.respond("v1 NodeUnprepareResources", observer, () -> {
            Map<String, String> errors = dispatcher.unprepare(claims(request.getClaimsList()));
            NodeUnprepareResourcesResponse.Builder response = NodeUnprepareResourcesResponse.newBuilder();
            errors.forEach((uid, error) ->
                    response.putClaims(uid, NodeUnprepareResourceResponse.newBuilder().setError(error).build()));
            return response.build();
        });
    }

    private static List<ResourceClaimRef> claims(List<Claim> claims) {
        return claims.stream().map(c -> new ResourceClaimRef(c.getNamespace(), c.getUid(), c.getName())).toList();
    }

    private static NodePrepareResourceResponse toProto(NodePrepareResult result) {
        NodePrepareResourceResponse.Builder claim = NodePrepareResourceResponse.newBuilder().setError(result.error());
        for (KubeletDevice device : result.devices()) {
            Device.Builder d = Device.newBuilder()
                    .addAllRequestNames(device.requestNames())
                    .setPoolName(device.poolName())
                    .setDeviceName(device.deviceName())
                    .addAllCdiDeviceIds(device.cdiDeviceIds());
            if (device.shareId() != null) {
                d.setShareId(device.shareId());
            }
            claim.addDevices(d);
        }
        return claim.build();
    }
}
