package io.alauda.dra.plugin.prepare;

/** Field paths inside a ResourceClaim, as error messages name them so the user can find the culprit. */
final class ConfigPaths {

    private ConfigPaths() {
    }

    static String config(int index) {
        return "status.allocation.devices.config[" + index + "]";
    }

    static String parameters(int index) {
        return config(index) + ".opaque.parameters";
    }

    static String result(int index) {
        return "status.allocation.devices.results[" + index + "]";
    }
}
