package io.alauda.dra.realcluster;

import io.alauda.dra.plugin.grpc.UdsChannels;
import io.alauda.dra.plugin.proto.drav1.Claim;
import io.alauda.dra.plugin.proto.drav1.DRAPluginGrpc;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourceResponse;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourceResponse;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourcesRequest;
import io.alauda.dra.plugin.proto.registration.InfoRequest;
import io.alauda.dra.plugin.proto.registration.PluginInfo;
import io.alauda.dra.plugin.proto.registration.RegistrationGrpc;
import io.alauda.dra.plugin.proto.registration.RegistrationStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.grpc.ManagedChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet's side of the plugin's sockets, as kubelet's plugin watcher and DRA manager use them: registration
 * (GetInfo, then NotifyRegistrationStatus) and NodePrepareResources / NodeUnprepareResources for a claim the real
 * scheduler allocated.
 */
public final class KubeletStandIn implements AutoCloseable {

    private final EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    private final PluginNode plugin;

    public KubeletStandIn(PluginNode plugin) {
        this.plugin = plugin;
    }

    /** @return what the plugin advertised */
    public PluginInfo register() throws InterruptedException {
        ManagedChannel channel = UdsChannels.open(plugin.registrationSocket(), group);
        try {
            RegistrationGrpc.RegistrationBlockingStub registration = RegistrationGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            PluginInfo info = registration.getInfo(InfoRequest.getDefaultInstance());
            registration.notifyRegistrationStatus(RegistrationStatus.newBuilder().setPluginRegistered(true).build());
            return info;
        } finally {
            close(channel);
        }
    }

    public NodePrepareResourceResponse prepare(HasMetadata claim) throws InterruptedException {
        ManagedChannel channel = UdsChannels.open(plugin.draSocket(), group);
        try {
            // kubelet gives a prepare call 45 s
            return DRAPluginGrpc.newBlockingStub(channel).withDeadlineAfter(45, TimeUnit.SECONDS)
                    .nodePrepareResources(NodePrepareResourcesRequest.newBuilder().addClaims(wire(claim)).build())
                    .getClaimsOrThrow(claim.getMetadata().getUid());
        } finally {
            close(channel);
        }
    }

    public NodeUnprepareResourceResponse unprepare(HasMetadata claim) throws InterruptedException {
        ManagedChannel channel = UdsChannels.open(plugin.draSocket(), group);
        try {
            return DRAPluginGrpc.newBlockingStub(channel).withDeadlineAfter(45, TimeUnit.SECONDS)
                    .nodeUnprepareResources(NodeUnprepareResourcesRequest.newBuilder().addClaims(wire(claim)).build())
                    .getClaimsOrThrow(claim.getMetadata().getUid());
        } finally {
            close(channel);
        }
    }

    private static Claim wire(HasMetadata claim) {
        return Claim.newBuilder().setNamespace(claim.getMetadata().getNamespace()).setUid(claim.getMetadata().getUid())
                .setName(claim.getMetadata().getName()).build();
    }

    private static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
