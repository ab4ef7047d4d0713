package io.alauda.dra.plugin.grpc;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Answers a request that does not decode with INVALID_ARGUMENT naming the method and the decoding error.
 *
 * <p>grpc-java itself rejects such a request too, but as UNKNOWN "Application error processing RPC" with a SEVERE
 * stack trace in our log, so the caller cannot tell what was wrong and a hostile client can flood the log. Here the
 * transport hands over raw bytes, and the request is decoded where the failure can be answered properly.
 */
final class MalformedRequestGuard {

    private static final Logger LOG = Logger.getLogger(MalformedRequestGuard.class);

    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private MalformedRequestGuard() {
    }

    static ServerServiceDefinition wrap(ServerServiceDefinition service) {
        ServerServiceDefinition.Builder guarded =
                ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            addGuarded(guarded, method);
        }
        return guarded.build();
    }

    private static <ReqT, RespT> void addGuarded(ServerServiceDefinition.Builder guarded,
                                                 ServerMethodDefinition<ReqT, RespT> method) {
        MethodDescriptor<ReqT, RespT> typed = method.getMethodDescriptor();
        MethodDescriptor<byte[], RespT> raw = typed.toBuilder(RAW, typed.getResponseMarshaller()).build();
        ServerCallHandler<ReqT, RespT> handler = method.getServerCallHandler();
        guarded.addMethod(raw, (call, headers) -> {
            ServerCall.Listener<ReqT> inner = handler.startCall(new TypedCall<>(call, typed), headers);
            return new DecodingListener<>(call, typed, inner);
        });
    }

    private static final class DecodingListener<ReqT, RespT> extends ServerCall.Listener<byte[]> {
        private final ServerCall<byte[], RespT> call;
        private final MethodDescriptor<ReqT, RespT> typed;
        private final ServerCall.Listener<ReqT> inner;
        private boolean rejected;

        DecodingListener(ServerCall<byte[], RespT> call, MethodDescriptor<ReqT, RespT> typed,
                         ServerCall.Listener<ReqT> inner) {
            this.call = call;
            this.typed = typed;
            this.inner = inner;
        }

        @Override
        public void onMessage(byte[] bytes) {
            if (rejected) {
                return;
            }
            ReqT request;
            try {
                request = typed.parseRequest(new ByteArrayInputStream(bytes));
            } catch (RuntimeException e) {
                rejected = true;
                String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                LOG.warnf("rejected a malformed %s request (%d bytes): %s", typed.getFullMethodName(), bytes.length, reason);
                call.close(Status.INVALID_ARGUMENT.withDescription("malformed " + typed.getFullMethodName()
                        + " request: " + reason), new Metadata());
                return;
            }
            inner.onMessage(request);
        }

        @Override
        public void onHalfClose() {
            if (!rejected) {
                inner.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            inner.onCancel();
        }

        @Override
        public void onComplete() {
            inner.onComplete();
        }

        @Override
        public void onReady() {
            inner.onReady();
        }
    }

    /** The raw call as the typed handler expects it; only the method descriptor differs. */
    private static final class TypedCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
        private final ServerCall<byte[], RespT> raw;
        private final MethodDescriptor<ReqT, RespT> typed;

        TypedCall(ServerCall<byte[], RespT> raw, MethodDescriptor<ReqT, RespT> typed) {
            this.raw = raw;
            this.typed = typed;
        }

        @Override
        public void request(int numMessages) {
            raw.request(numMessages);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            raw.sendHeaders(headers);
        }

        @Override
        public void sendMessage(RespT message) {
            raw.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            raw.close(status, trailers);
        }

        @Override
        public boolean isCancelled() {
            return raw.isCancelled();
        }

        @Override
        public boolean isReady() {
            return raw.isReady();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            raw.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            raw.setCompression(compressor);
        }

        @Override
        public SecurityLevel getSecurityLevel() {
            return raw.getSecurityLevel();
        }

        @Override
        public Attributes getAttributes() {
            return raw.getAttributes();
        }

        @Override
        public String getAuthority() {
            return raw.getAuthority();
        }

        @Override
        public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
            return typed;
        }
    }
}
