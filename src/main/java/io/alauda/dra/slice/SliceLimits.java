package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.AttributeValue;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validation rules of {@code resource.k8s.io} that our devices could break. Checked here so that a device
 * that cannot be published fails with its name in the message, before any API call.
 */
final class SliceLimits {

    static final int MAX_DEVICES_PER_SLICE = 128;
    /** From Kubernetes 1.35 a slice in which any device has taints may hold only 64 (1.34 allows 128). */
    static final int MAX_DEVICES_PER_SLICE_WITH_TAINTS = 64;
    static final int MAX_ATTRIBUTES_AND_CAPACITIES_PER_DEVICE = 32;
    static final int MAX_ATTRIBUTE_VALUE_LENGTH = 64;
    static final int MAX_DEVICE_NAME_LENGTH = 63;
    static final int MAX_ID_LENGTH = 32;
    static final int MAX_DOMAIN_LENGTH = 63;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern C_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private SliceLimits() {
    }

    static void check(AllocatableDevice device) {
        String name = device.name();
        if (name.length() > MAX_DEVICE_NAME_LENGTH || !DNS_LABEL.matcher(name).matches()) {
            throw new SliceLimitException("device name '" + name + "' is not a DNS label (lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most " + MAX_DEVICE_NAME_LENGTH + " characters)");
        }
        int count = device.attributes().size() + device.capacities().size();
        if (count > MAX_ATTRIBUTES_AND_CAPACITIES_PER_DEVICE) {
            throw new SliceLimitException("device " + name + " has " + device.attributes().size() + " attributes and "
                    + device.capacities().size() + " capacities (" + count + " in all); a ResourceSlice device may have at most "
                    + MAX_ATTRIBUTES_AND_CAPACITIES_PER_DEVICE + ": publish fewer attributes or capacities for it");
        }
        for (Map.Entry<String, AttributeValue> attribute : device.attributes().entrySet()) {
            checkQualifiedName(name, "attribute", attribute.getKey());
            checkValue(name, attribute.getKey(), attribute.getValue());
        }
        for (String capacity : device.capacities().keySet()) {
            checkQualifiedName(name, "capacity", capacity);
        }
    }

    private static void checkValue(String device, String attribute, AttributeValue value) {
        if ((value.kind() == AttributeValue.Kind.STRING || value.kind() == AttributeValue.Kind.VERSION)
                && ((String) value.value()).length() > MAX_ATTRIBUTE_VALUE_LENGTH) {
            throw new SliceLimitException("device " + device + ": attribute " + attribute + " is "
                    + ((String) value.value()).length() + " characters long; the API allows at most " + MAX_ATTRIBUTE_VALUE_LENGTH);
        }
    }

    /** {@code memory}, or {@code resource.kubernetes.io/pciBusID}: an optional DNS domain, then a C identifier. */
    private static void checkQualifiedName(String device, String what, String qualified) {
        int slash = qualified.indexOf('/');
        String domain = slash < 0 ? null : qualified.substring(0, slash);
        String id = slash < 0 ? qualified : qualified.substring(slash + 1);
        boolean domainOk = domain == null
                || (domain.length() <= MAX_DOMAIN_LENGTH && DNS_SUBDOMAIN.matcher(domain).matches());
        boolean idOk = id.length() <= MAX_ID_LENGTH && C_IDENTIFIER.matcher(id).matches();
        if (!domainOk || !idOk) {
            throw new SliceLimitException("device " + device + ": " + what + " name '" + qualified + "' is invalid: it must be "
                    + "a C identifier of at most " + MAX_ID_LENGTH + " characters, optionally after a DNS domain of at most "
                    + MAX_DOMAIN_LENGTH + " characters and a '/'");
        }
    }
}
