package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.tag) || self.tag == '' || (has(self.repository) && self.repository != '')",
        message = ImageSpec.TAG_WITHOUT_REPOSITORY)
public class ImageSpec {

    public static final String TAG_WITHOUT_REPOSITORY = "spec.image.tag is set without spec.image.repository; the tag would be "
            + "ignored (the operator runs its own image then). Set spec.image.repository too, or remove the tag";

    @JsonPropertyDescription("Image repository of the driver; one image serves the kubelet plugin and the controller. "
            + "Empty: the image the operator runs from, which is the same image.")
    @Pattern("^$|^[a-z0-9]([a-z0-9._:/-]*[a-z0-9])?$")
    @Size(max = 255)
    public String repository;

    @JsonPropertyDescription("Image tag, or a digest such as sha256:<hex>. Empty: the operator's own tag. Used only with repository.")
    @Pattern("^$|^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$|^sha256:[a-f0-9]{64}$")
    @Size(max = 128)
    public String tag;

    @JsonPropertyDescription("Image pull policy of the driver's pods.")
    @Default("IfNotPresent")
    public PullPolicy pullPolicy = PullPolicy.IfNotPresent;

    @JsonPropertyDescription("Names of Secrets in spec.namespace used to pull the image.")
    @Size(max = 20)
    public List<@Size(max = 253) String> pullSecrets = new ArrayList<>();

    public enum PullPolicy {
        Always, IfNotPresent, Never
    }
}
