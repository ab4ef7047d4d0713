package io.alauda.dra;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The roles of the one image. Each role starts only its own parts. */
public enum Role {
    OPERATOR("operator"),
    KUBELET_PLUGIN("kubelet-plugin"),
    CONTROLLER("controller");

    private final String id;

    Role(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Role parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Role role : values()) {
            if (role.id.equals(wanted)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "'; use one of "
                + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
    }
}
