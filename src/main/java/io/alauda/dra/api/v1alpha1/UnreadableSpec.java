package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.NullNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.io.IOException;
import java.util.List;

/**
 * A spec with values that could not be read (see {@link TolerantReader}): its fields hold what could be read, with
 * defaults in place of the rest, and it carries the problems, each naming the field and the fix, so that the operator
 * refuses it. It writes itself back as it was read, bad values included: JOSDK reconciles a copy made by serialising
 * the cached object and computes its patches from such copies, and neither may quietly replace what the user wrote.
 * The CRD schema is generated from {@link NvidiaDraDriverSpec} and does not see this class.
 */
@RegisterForReflection
@JsonSerialize(using = UnreadableSpec.AsRead.class)
public final class UnreadableSpec extends NvidiaDraDriverSpec {

    private transient JsonNode asRead = NullNode.getInstance();
    private transient List<String> problems = List.of();

    /** For Jackson, which fills in what could be read. */
    public UnreadableSpec() {
    }

    UnreadableSpec withReadProblems(JsonNode asRead, List<String> problems) {
        this.asRead = asRead == null ? NullNode.getInstance() : asRead.deepCopy();
        this.problems = List.copyOf(problems);
        return this;
    }

    /** What could not be read, each naming the field and the fix; never empty. */
    public List<String> readProblems() {
        return problems;
    }

    /** Writes the spec as it was read. */
    public static final class AsRead extends JsonSerializer<UnreadableSpec> {
        @Override
        public void serialize(UnreadableSpec spec, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            spec.asRead.serialize(gen, serializers);
        }
    }
}
