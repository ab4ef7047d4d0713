package io.alauda.dra.operator.resources;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One object the operator may own: how to build it, when it is wanted, and its type (which for DeviceClasses
 * depends on the resource.k8s.io version in the context).
 *
 * @param namespaced whether the object lives in the driver's namespace
 */
public record ManagedObject(
        String name,
        boolean namespaced,
        Function<InstallContext, Class<? extends HasMetadata>> type,
        Predicate<InstallContext> wanted,
        Function<InstallContext, HasMetadata> builder) {

    public HasMetadata build(InstallContext ctx) {
        return builder.apply(ctx);
    }

    public Class<? extends HasMetadata> typeFor(InstallContext ctx) {
        return type.apply(ctx);
    }

    public String describe(InstallContext ctx) {
        return HasMetadata.getKind(typeFor(ctx)) + " " + (namespaced ? ctx.namespace() + "/" : "") + name;
    }
}
