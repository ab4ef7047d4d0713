package io.alauda.dra.nvml;

/**
 * An NVML call answered something other than success. Callers decide what a code means for them: discovery leaves an
 * attribute out on {@link #isNotSupported()} and fails on anything else.
 */
public class NvmlException extends RuntimeException {

    private final String function;
    private final int code;
    private final String description;

    /**
     * @param function    the NVML function, e.g. {@code nvmlDeviceGetBrand}
     * @param code        the {@code nvmlReturn_t}
     * @param description NVML's own text for the code ({@code nvmlErrorString}), or null when none was available
     */
    public NvmlException(String function, int code, String description) {
        super(function + ": " + NvmlReturn.name(code) + (description == null || description.isBlank() ? "" : " (" + description + ")"));
        this.function = function;
        this.code = code;
        this.description = description;
    }

    public String function() {
        return function;
    }

    public int code() {
        return code;
    }

    /** {@code NVML_ERROR_NOT_SUPPORTED}-style name of {@link #code()}. */
    public String codeName() {
        return NvmlReturn.name(code);
    }

    public String description() {
        return description;
    }

    /**
     * True when the device or the installed library cannot answer at all: NOT_SUPPORTED, or FUNCTION_NOT_FOUND from a
     * library older than the call. Either way there is no value to publish, and none may be made up.
     */
    public boolean isNotSupported() {
        return code == NvmlReturn.ERROR_NOT_SUPPORTED || code == NvmlReturn.ERROR_FUNCTION_NOT_FOUND;
    }
}
