package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import org.jboss.logging.Logger;

import java.io.IOException;

/**
 * Reads {@code status} so that nothing in it can fail the read. The status is the operator's own, but another version
 * may have written it (fields this one does not know after a downgrade): a status that does not read cleanly is
 * read as absent, so that the operator's next status write replaces it whole.
 */
public final class TolerantStatusDeserializer extends JsonDeserializer<NvidiaDraDriverStatus> {

    private static final Logger LOG = Logger.getLogger(TolerantStatusDeserializer.class);

    @Override
    public NvidiaDraDriverStatus deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode tree = ctxt.readTree(p);
        TolerantReader.Result<NvidiaDraDriverStatus> result = TolerantReader.read(p, tree, NvidiaDraDriverStatus.class, "status",
                () -> null);
        if (!result.problems().isEmpty()) {
            LOG.debugf("NvidiaDraDriver status written by another operator version is read as absent and will be rewritten: %s",
                    String.join("; ", result.problems()));
            return null;
        }
        return result.value();
    }
}
