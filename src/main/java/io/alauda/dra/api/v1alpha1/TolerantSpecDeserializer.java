package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.util.AccessPattern;

import java.io.IOException;
import java.util.List;

/**
 * Reads {@code spec} so that nothing in it can fail the read (see {@link TolerantReader}). A spec with values that
 * could not be read becomes an {@link UnreadableSpec}, which the operator refuses with a condition naming each field.
 */
public final class TolerantSpecDeserializer extends JsonDeserializer<NvidiaDraDriverSpec> {

    @Override
    public NvidiaDraDriverSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode tree = ctxt.readTree(p);
        TolerantReader.Result<NvidiaDraDriverSpec> result = TolerantReader.read(p, tree, NvidiaDraDriverSpec.class, "spec",
                NvidiaDraDriverSpec::new);
        if (result.problems().isEmpty()) {
            return result.value();
        }
        UnreadableSpec spec = new UnreadableSpec();
        if (result.cleaned() != null) {
            try {
                spec = TolerantReader.strictReader(p, UnreadableSpec.class).readValue(result.cleaned());
            } catch (IOException | RuntimeException e) {
                spec = new UnreadableSpec(); // it read as the base type a moment ago; defaults are as good as refused
            }
        }
        return spec.withReadProblems(tree, result.problems());
    }

    /** {@code spec: null}: a spec of defaults that the operator refuses, so that nothing acts on a spec nobody wrote. */
    @Override
    public NvidiaDraDriverSpec getNullValue(DeserializationContext ctxt) {
        return new UnreadableSpec().withReadProblems(NullNode.getInstance(), List.of("spec is null; write spec: {} to take every default"));
    }

    @Override
    public AccessPattern getNullAccessPattern() {
        return AccessPattern.DYNAMIC;
    }
}
