package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.api.DraRequestHandler;
import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.proto.drav1beta1.Claim;
import io.alauda.dra.plugin.proto.drav1beta1.DRAPluginGrpc;
import io.alauda.dra.plugin.proto.drav1beta1.Device;
import io.alauda.dra.plugin.proto.drav1beta1.NodePrepareResourceResponse;
import io.alauda.dra.plugin.proto.drav1beta1.NodePrepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1beta1.NodePrepareResourcesResponse;
import io.alauda.dra.plugin.proto.drav1beta1.NodeUnprepareResourceResponse;
import io.alauda.dra.plugin.proto.drav1beta1.NodeUnprepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1beta1.NodeUnprepareResourcesResponse;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.Map;

/**
 * {@code k8s.io.kubelet.pkg.apis.dra.v1beta1.DRAPlugin} (registration string {@code v1beta1.DRAPlugin}) over the same
 * handler as v1. This API has no share_id, so a device's share ID is not sent; kubelets that know share IDs speak v1.
 */
public final class DraV1beta1Service extends DRAPluginGrpc.DRAPluginImplBase {

    public static final String REGISTRATION_NAME = "v1beta1.DRAPlugin";

    private final KubeletRequestDispatcher dispatcher;

    public DraV1beta1Service(DraRequestHandler handler) {
        this.dispatcher = new KubeletRequestDispatcher(handler);
    }

    @Override
    public void nodePrepareResources(NodePrepareResourcesRequest request,
                                     StreamObserver<NodePrepareResourcesResponse> observer) {
        UnaryResponder.respond("v1beta1 NodePrepareResources", observer, () -> {
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
        UnaryResponder.respond("v1beta1 NodeUnprepareResources", observer, () -> {
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
            claim.addDevices(d);
        }
        return claim.build();
    }
}
