package io.alauda.dra;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which role this process plays; {@code DRA_ROLE} in the environment or the first program argument. */
@ConfigMapping(prefix = "dra")
public interface RoleConfig {

    @WithDefault("operator")
    String role();

    default Role parsedRole() {
        return Role.parse(role());
    }
}
