package io.alauda.dra.testing;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriverSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** NvidiaDraDriver objects for tests. */
public final class TestDrivers {

    public static final String UID = "6f1c2a4e-0d7b-4c35-9e61-2b8f0c9a7d10";

    private TestDrivers() {
    }

    /** A CR named {@code name} with every default, as the API server would return it after creation. */
    public static NvidiaDraDriver withDefaults(String name) {
        NvidiaDraDriver driver = new NvidiaDraDriver();
        driver.setMetadata(new ObjectMetaBuilder().withName(name).withUid(UID).withGeneration(1L).build());
        driver.setSpec(new NvidiaDraDriverSpec());
        return driver;
    }
}
