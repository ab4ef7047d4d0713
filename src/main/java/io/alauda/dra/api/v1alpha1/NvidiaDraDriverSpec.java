package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("How the NVIDIA DRA driver is installed; every field has a default, so spec: {} is a complete install.")
@ValidationRule(value = "!has(self.__namespace__) || self.__namespace__ != 'default' || (has(self.allowDefaultNamespace) && self.allowDefaultNamespace)",
        fieldPath = ".namespace", message = NvidiaDraDriverSpec.DEFAULT_NAMESPACE_MESSAGE)
public class NvidiaDraDriverSpec {

    public static final String DEFAULT_NAMESPACE_MESSAGE = "spec.namespace is 'default', where the driver's pods would mix with "
            + "the workloads of the cluster; use a namespace of its own (the default is kube-system), or set "
            + "spec.allowDefaultNamespace: true to install there anyway";

    @JsonPropertyDescription("Namespace of the driver's pods (kubelet plugin, controller) and their ServiceAccounts; created if missing.")
    @Default(Defaults.NAMESPACE)
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    @Size(max = 63)
    public String namespace = Defaults.NAMESPACE;

    @JsonPropertyDescription("Allow spec.namespace: default. Like upstream's Helm chart, the driver is not installed into the "
            + "default namespace unless this says so.")
    @Default("false")
    public boolean allowDefaultNamespace;

    @JsonPropertyDescription("Driver image.")
    public ImageSpec image = new ImageSpec();

    @JsonPropertyDescription("Log level of the driver's pods.")
    @Default("INFO")
    public LogLevel logLevel = LogLevel.INFO;

    @JsonPropertyDescription("Host directory the NVIDIA driver is installed under: / for a driver on the host, "
            + "/run/nvidia/driver with the GPU Operator's driver container, /home/kubernetes/bin/nvidia on GKE.")
    @Default(Defaults.DRIVER_ROOT)
    @Size(max = HostPaths.MAX_LENGTH)
    @ValidationRule(value = HostPaths.CLEAN_RULE, message = HostPaths.CLEAN_MESSAGE)
    @ValidationRule(value = HostPaths.NOT_IN_KERNEL_FS_RULE, message = HostPaths.NOT_IN_KERNEL_FS_MESSAGE)
    @ValidationRule(value = HostPaths.DRIVER_ROOT_RULE, message = HostPaths.DRIVER_ROOT_MESSAGE)
    public String driverRoot = Defaults.DRIVER_ROOT;

    @JsonPropertyDescription("Host directory where the container runtime reads CDI specs; the plugin writes one spec per prepared claim there.")
    @Default(Defaults.CDI_ROOT)
    @Size(max = HostPaths.MAX_LENGTH)
    @ValidationRule(value = HostPaths.CLEAN_RULE, message = HostPaths.CLEAN_MESSAGE)
    @ValidationRule(value = HostPaths.NOT_IN_KERNEL_FS_RULE, message = HostPaths.NOT_IN_KERNEL_FS_MESSAGE)
    @ValidationRule(value = HostPaths.NOT_SYSTEM_DIR_RULE, message = HostPaths.NOT_SYSTEM_DIR_MESSAGE)
    public String cdiRoot = Defaults.CDI_ROOT;

    @JsonPropertyDescription("Kubelet's plugins directory; the DRA socket and the checkpoint live in <dir>/gpu.nvidia.com.")
    @Default(Defaults.KUBELET_PLUGINS_DIR)
    @Size(max = HostPaths.MAX_LENGTH)
    @ValidationRule(value = HostPaths.CLEAN_RULE, message = HostPaths.CLEAN_MESSAGE)
    @ValidationRule(value = HostPaths.NOT_IN_KERNEL_FS_RULE, message = HostPaths.NOT_IN_KERNEL_FS_MESSAGE)
    @ValidationRule(value = HostPaths.NOT_SYSTEM_DIR_RULE, message = HostPaths.NOT_SYSTEM_DIR_MESSAGE)
    public String kubeletPluginsDir = Defaults.KUBELET_PLUGINS_DIR;

    @JsonPropertyDescription("Kubelet's plugin registration directory, watched by kubelet for <driver>-reg.sock.")
    @Default(Defaults.KUBELET_REGISTRAR_DIR)
    @Size(max = HostPaths.MAX_LENGTH)
    @ValidationRule(value = HostPaths.CLEAN_RULE, message = HostPaths.CLEAN_MESSAGE)
    @ValidationRule(value = HostPaths.NOT_IN_KERNEL_FS_RULE, message = HostPaths.NOT_IN_KERNEL_FS_MESSAGE)
    @ValidationRule(value = HostPaths.NOT_SYSTEM_DIR_RULE, message = HostPaths.NOT_SYSTEM_DIR_MESSAGE)
    public String kubeletRegistrarDir = Defaults.KUBELET_REGISTRAR_DIR;

    @JsonPropertyDescription("Host path of nvidia-cdi-hook, whose hooks (ldcache update, symlinks, CUDA compat) CDI specs carry. "
            + "When empty, the plugin uses one installed on the node (NVIDIA Container Toolkit, under the driver root) or else copies "
            + "the one in its image to the kubelet plugin directory.")
    @Size(max = HostPaths.MAX_LENGTH)
    @ValidationRule(value = HostPaths.CLEAN_RULE, message = HostPaths.CLEAN_MESSAGE)
    @ValidationRule(value = HostPaths.NOT_IN_KERNEL_FS_RULE, message = HostPaths.NOT_IN_KERNEL_FS_MESSAGE)
    public String cdiHookPath;

    @JsonPropertyDescription("Labels a node must carry to run the kubelet plugin.")
    @Size(min = 1, max = 20)
    public Map<String, @Size(max = 63) String> nodeSelector = new LinkedHashMap<>(Map.of(Defaults.NODE_SELECTOR_KEY, Defaults.NODE_SELECTOR_VALUE));

    @JsonPropertyDescription("Labels that mark a node as run by another GPU stack (HAMi's gpu=on, for example). A node "
            + "selected by nodeSelector that also carries one of these gets no plugin and is listed in status.nodes.conflicting.")
    @Size(max = 20)
    public Map<String, @Size(max = 63) String> conflictingNodeLabels = new LinkedHashMap<>(Map.of(Defaults.CONFLICTING_LABEL_KEY, Defaults.CONFLICTING_LABEL_VALUE));

    @JsonPropertyDescription("Tolerations of the kubelet-plugin pods.")
    @Size(max = 20)
    @SchemaFrom(type = BoundedSchemas.Toleration[].class)
    public List<Toleration> tolerations = new ArrayList<>(List.of(new TolerationBuilder()
            .withKey(Defaults.GPU_TOLERATION_KEY).withOperator("Exists").withEffect("NoSchedule").build()));

    @JsonPropertyDescription("PriorityClass of the kubelet-plugin pods; empty for none.")
    @Default(Defaults.PRIORITY_CLASS)
    @Size(max = 253)
    public String priorityClassName = Defaults.PRIORITY_CLASS;

    @JsonPropertyDescription("DeviceClasses to install.")
    public DeviceClassesSpec deviceClasses = new DeviceClassesSpec();

    @JsonPropertyDescription("Feature gates of the driver, by upstream name (map of name to true/false).")
    @ValidationRule(value = FeatureGates.KNOWN_RULE, message = FeatureGates.KNOWN_MESSAGE)
    @ValidationRule(value = "!(('DynamicMIG' in self && self['DynamicMIG']) && ('PassthroughSupport' in self && self['PassthroughSupport']))",
            message = "DynamicMIG and PassthroughSupport cannot both be true")
    @ValidationRule(value = "!(('DynamicMIG' in self && self['DynamicMIG']) && ('NVMLDeviceHealthCheck' in self && self['NVMLDeviceHealthCheck']))",
            message = "DynamicMIG and NVMLDeviceHealthCheck cannot both be true")
    @ValidationRule(value = "!(('DynamicMIG' in self && self['DynamicMIG']) && ('MPSSupport' in self && self['MPSSupport']))",
            message = "DynamicMIG and MPSSupport cannot both be true")
    @ValidationRule(value = "!(('PassthroughSupport' in self && self['PassthroughSupport']) && ('NVMLDeviceHealthCheck' in self && self['NVMLDeviceHealthCheck']))",
            message = "PassthroughSupport and NVMLDeviceHealthCheck cannot both be true")
    @ValidationRule(value = "!('DeviceMetadata' in self && self['DeviceMetadata']) || ('PassthroughSupport' in self && self['PassthroughSupport'])",
            message = "DeviceMetadata needs PassthroughSupport=true")
    @Size(max = 20)
    public Map<String, Boolean> featureGates = new LinkedHashMap<>();

    @JsonPropertyDescription("Kubelet plugin DaemonSet.")
    public KubeletPluginSpec kubeletPlugin = new KubeletPluginSpec();

    @JsonPropertyDescription("Controller Deployment (GPU allocation metrics, cleanup of slices of vanished nodes).")
    public ControllerSpec controller = new ControllerSpec();

    @JsonPropertyDescription("Prometheus metrics.")
    public MetricsSpec metrics = new MetricsSpec();

    @JsonPropertyDescription("resource.k8s.io version of the DeviceClasses: auto picks the newest the API server serves (v1, then v1beta2, then v1beta1).")
    @Default("auto")
    public ResourceApiVersion resourceApiVersion = ResourceApiVersion.AUTO;
}
