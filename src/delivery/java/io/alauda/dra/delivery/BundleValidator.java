package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.CRDDescription;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersionSpec;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.Icon;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.InstallMode;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.RelatedImage;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.SpecDescriptor;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The checks of {@code operator-sdk bundle validate} (operator-framework/api {@code pkg/validation}: the default CSV,
 * CRD-ownership and bundle validators, plus the operatorframework suite's OperatorHub and good-practice checks), in
 * Java so the unit suite checks every bundle in a second; {@code OlmBundleValidateIT} runs the Go validators themselves.
 * Warnings of the Go tool are problems here: the bundle is meant to validate clean.
 *
 * <p>Each problem starts with the rule's id in brackets, e.g. {@code [installModes]}, so a test can show that
 * breaking one input trips exactly that rule.
 */
public final class BundleValidator {

    public static final Set<String> CAPABILITIES = Set.of("Basic Install", "Seamless Upgrades", "Full Lifecycle", "Deep Insights", "Auto Pilot");
    public static final Set<String> CATEGORIES = Set.of("AI/Machine Learning", "Application Runtime", "Big Data", "Cloud Provider",
            "Developer Tools", "Database", "Integration & Delivery", "Logging & Tracing", "Monitoring", "Modernization & Migration",
            "Networking", "OpenShift Optional", "Security", "Storage", "Streaming & Messaging", "Observability");
    public static final Set<String> ICON_MEDIATYPES = Set.of("image/gif", "image/jpeg", "image/png", "image/svg+xml");
    public static final Set<String> INSTALL_MODE_TYPES = Set.of("OwnNamespace", "SingleNamespace", "MultiNamespace", "AllNamespaces");
    public static final long MAX_COMPRESSED_SIZE = 1024 * 1024;

    /** k8s.io/apimachinery IsDNS1123Subdomain. */
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    /** k8s.io/apimachinery IsValidLabelValue. */
    private static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
    /** semver.org 2.0.0, as blang/semver parses it. */
    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    /** The distribution reference grammar (docker/distribution reference.go): [domain/]path[:tag][@digest]. */
    private static final Pattern PULLSPEC = Pattern.compile("^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
            + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/)?"
            + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
            + "(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$");
    private static final Pattern DIGEST_REFERENCE = Pattern.compile(".*@sha256:[0-9a-f]{64}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final List<String> REQUIRED_ANNOTATIONS = List.of(
            "operators.operatorframework.io.bundle.mediatype.v1", "operators.operatorframework.io.bundle.manifests.v1",
            "operators.operatorframework.io.bundle.metadata.v1", "operators.operatorframework.io.bundle.package.v1",
            "operators.operatorframework.io.bundle.channels.v1");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean requireDigests;

    /** @param requireDigests a release bundle: every related image and the operator image must be pinned by digest */
    public BundleValidator(boolean requireDigests) {
        this.requireDigests = requireDigests;
    }

    /** Every problem of the bundle in {@code dir} (manifests/, metadata/); empty when it is valid. */
    public List<String> validate(Path dir) {
        List<String> problems = new ArrayList<>();
        List<JsonNode> manifests = new ArrayList<>();
        for (Path file : files(dir.resolve("manifests"))) {
            for (JsonNode doc : BuildOutput.documents(file)) {
                if (doc.path("apiVersion").asText().isEmpty() || doc.path("kind").asText().isEmpty()) {
                    problems.add("[typeMeta] " + dir.relativize(file) + " holds an object without apiVersion or kind");
                }
                manifests.add(doc);
            }
        }
        List<JsonNode> csvs = manifests.stream().filter(d -> "ClusterServiceVersion".equals(d.path("kind").asText())).toList();
        if (csvs.size() != 1) {
            problems.add("[bundle] manifests/ must hold exactly one ClusterServiceVersion, found " + csvs.size());
            return problems;
        }
        JsonNode csvTree = csvs.get(0);
        ClusterServiceVersion csv = Serialization.unmarshal(csvTree.toString(), ClusterServiceVersion.class);
        List<JsonNode> crds = manifests.stream().filter(d -> "CustomResourceDefinition".equals(d.path("kind").asText())).toList();

        checkNames(csv, problems);
        checkRequiredFields(csv, csvTree, problems);
        checkInstallModes(csv, problems);
        checkExamples(csv, problems);
        checkOwnedCrds(csv, crds, problems);
        checkIcon(csv, problems);
        checkCapabilitiesAndCategories(csv, problems);
        checkMinKubeVersion(csv, problems);
        checkOperatorHub(csv, problems);
        checkResourceRequests(csv, problems);
        checkRelatedImages(csv, problems);
        checkServiceAccounts(csv, manifests, problems);
        checkAnnotations(dir, csv, problems);
        checkSize(dir, problems);
        return problems;
    }

    // ---- CSV validator (internal/csv.go, typecheck.go) ---------------------------------------------------------

    private static void checkNames(ClusterServiceVersion csv, List<String> problems) {
        String name = csv.getMetadata() == null ? null : csv.getMetadata().getName();
        nameFormat("metadata.name", name, problems);
        String replaces = spec(csv).getReplaces();
        if (replaces != null && !replaces.isEmpty()) {
            nameFormat("spec.replaces", replaces, problems);
        }
        if (name != null && spec(csv).getVersion() != null && !name.endsWith(".v" + spec(csv).getVersion())) {
            problems.add("[csvName] metadata.name " + name + " does not end in .v" + spec(csv).getVersion() + " (spec.version)");
        }
    }

    private static void nameFormat(String field, String name, List<String> problems) {
        if (name == null || name.isEmpty()) {
            problems.add("[csvName] " + field + " is empty");
            return;
        }
        if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
            problems.add("[csvName] " + field + " " + name + " is not a DNS-1123 subdomain");
        }
        if (name.length() > 63 || !LABEL_VALUE.matcher(name).matches()) {
            problems.add("[csvName] " + field + " " + name + " is not a valid label value (63 characters at most)");
        }
        String[] parts = name.split("\\.", 2);
        if (parts.length != 2) {
            problems.add("[csvName] " + field + " " + name + " must have the format <operator name>.v<X.Y.Z>");
        } else if (!SEMVER.matcher(parts[1].replaceFirst("^v+", "")).matches()) {
            problems.add("[csvName] " + field + " " + name + " contains an invalid semver " + parts[1]);
        }
    }

    private static void checkRequiredFields(ClusterServiceVersion csv, JsonNode tree, List<String> problems) {
        if (tree.path("apiVersion").asText().isEmpty() || tree.path("kind").asText().isEmpty()) {
            problems.add("[required] apiVersion and kind must be set");
        }
        ClusterServiceVersionSpec spec = spec(csv);
        if (isBlank(spec.getDisplayName())) {
            problems.add("[required] spec.displayName is required");
        }
        if (spec.getInstall() == null || isBlank(spec.getInstall().getStrategy())) {
            problems.add("[required] spec.install.strategy is required");
        } else if (!"deployment".equals(spec.getInstall().getStrategy())) {
            problems.add("[required] spec.install.strategy must be deployment, not " + spec.getInstall().getStrategy());
        } else if (spec.getInstall().getSpec() == null || spec.getInstall().getSpec().getDeployments().isEmpty()) {
            problems.add("[required] spec.install.spec.deployments: unable to find a deployment to install in the CSV");
        }
        if (isBlank(spec.getVersion())) {
            problems.add("[required] spec.version is required");
        } else if (!SEMVER.matcher(spec.getVersion()).matches()) {
            problems.add("[required] spec.version " + spec.getVersion() + " is not semver");
        }
        if (spec.getCustomresourcedefinitions() != null) {
            for (CRDDescription owned : spec.getCustomresourcedefinitions().getOwned()) {
                if (isBlank(owned.getName()) || isBlank(owned.getVersion()) || isBlank(owned.getKind())) {
                    problems.add("[required] spec.customresourcedefinitions.owned[] needs name, version and kind: " + owned.getName());
                }
                if (isBlank(owned.getDescription())) {
                    problems.add("[required] owned CRD " + owned.getName() + " has no description");
                }
                if (isBlank(owned.getDisplayName())) {
                    problems.add("[required] owned CRD " + owned.getName() + " has no displayName");
                }
            }
        }
    }

    private static void checkInstallModes(ClusterServiceVersion csv, List<String> problems) {
        List<InstallMode> modes = spec(csv).getInstallModes();
        if (modes == null || modes.isEmpty()) {
            problems.add("[installModes] install modes not found");
            return;
        }
        Set<String> seen = new HashSet<>();
        boolean anySupported = false;
        for (InstallMode mode : modes) {
            if (!INSTALL_MODE_TYPES.contains(mode.getType())) {
                problems.add("[installModes] unknown install mode type " + mode.getType());
            }
            if (!seen.add(mode.getType())) {
                problems.add("[installModes] duplicate install mode " + mode.getType());
            }
            anySupported |= Boolean.TRUE.equals(mode.getSupported());
        }
        if (!anySupported) {
            problems.add("[installModes] none of the install modes is supported");
        }
    }

    private static void checkExamples(ClusterServiceVersion csv, List<String> problems) {
        Map<String, String> annotations = csv.getMetadata().getAnnotations();
        String examples = annotations == null ? null : annotations.get("alm-examples");
        if (examples == null) {
            problems.add("[almExamples] the alm-examples annotation is missing");
            return;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(examples);
        } catch (IOException e) {
            problems.add("[almExamples] alm-examples is not valid JSON: " + e.getMessage());
            return;
        }
        if (!parsed.isArray()) {
            problems.add("[almExamples] alm-examples must be a JSON array of objects");
            return;
        }
        Set<String> provided = new HashSet<>();
        if (spec(csv).getCustomresourcedefinitions() != null) {
            for (CRDDescription owned : spec(csv).getCustomresourcedefinitions().getOwned()) {
                String[] parts = owned.getName() == null ? new String[0] : owned.getName().split("\\.", 2);
                if (parts.length < 2) {
                    problems.add("[almExamples] cannot parse plural.group from owned CRD name " + owned.getName());
                    continue;
                }
                provided.add(parts[1] + "/" + owned.getVersion() + "/" + owned.getKind());
            }
        }
        Set<String> exampled = new HashSet<>();
        for (JsonNode example : parsed) {
            String apiVersion = example.path("apiVersion").asText();
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
            String gvk = group + "/" + version + "/" + example.path("kind").asText();
            exampled.add(gvk);
            if (!provided.contains(gvk)) {
                problems.add("[almExamples] example " + gvk + " must be a provided (owned) API");
            }
            // scorecard basic-check-spec: every example has a spec block.
            if (!example.path("spec").isObject() || example.path("spec").isEmpty()) {
                problems.add("[almExamples] example " + gvk + " has no spec");
            }
        }
        for (String api : provided) {
            if (!exampled.contains(api)) {
                problems.add("[almExamples] provided API " + api + " should have an example in alm-examples");
            }
        }
        checkSpecDescriptorsCoverExamples(csv, parsed, problems);
    }

    /** scorecard olm-spec-descriptors: every spec field an example sets has a spec descriptor (or one of a parent). */
    private static void checkSpecDescriptorsCoverExamples(ClusterServiceVersion csv, JsonNode examples, List<String> problems) {
        if (spec(csv).getCustomresourcedefinitions() == null) {
            return;
        }
        Set<String> paths = new HashSet<>();
        for (CRDDescription owned : spec(csv).getCustomresourcedefinitions().getOwned()) {
            for (SpecDescriptor d : owned.getSpecDescriptors()) {
                paths.add(d.getPath());
            }
        }
        for (JsonNode example : examples) {
            for (Iterator<String> it = example.path("spec").fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (paths.stream().noneMatch(p -> p.equals(field) || p.startsWith(field + "."))) {
                    problems.add("[specDescriptors] spec." + field + " is set in alm-examples but has no spec descriptor");
                }
            }
        }
    }

    // ---- Bundle validator (internal/bundle.go) ----------------------------------------------------------------

    private static void checkOwnedCrds(ClusterServiceVersion csv, List<JsonNode> crds, List<String> problems) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode crd : crds) {
            String name = crd.path("metadata").path("name").asText();
            if (byName.put(name, crd) != null) {
                problems.add("[ownedCrds] duplicate CRD " + name + " in manifests/");
            }
        }
        Set<String> owned = new HashSet<>();
        List<CRDDescription> descriptions = spec(csv).getCustomresourcedefinitions() == null ? List.of()
                : spec(csv).getCustomresourcedefinitions().getOwned();
        for (CRDDescription description : descriptions) {
            owned.add(description.getName());
            JsonNode crd = byName.get(description.getName());
            if (crd == null) {
                problems.add("[ownedCrds] owned CRD " + description.getName() + " is not in manifests/");
                continue;
            }
            if (!crd.path("spec").path("names").path("kind").asText().equals(description.getKind())) {
                problems.add("[ownedCrds] owned CRD " + description.getName() + " has kind " + crd.path("spec").path("names").path("kind").asText()
                        + " in manifests/, " + description.getKind() + " in the CSV");
            }
            boolean served = false;
            for (JsonNode version : crd.path("spec").path("versions")) {
                served |= version.path("name").asText().equals(description.getVersion()) && version.path("served").asBoolean();
            }
            if (!served) {
                problems.add("[ownedCrds] owned CRD " + description.getName() + " does not serve version " + description.getVersion());
            }
        }
        for (String name : byName.keySet()) {
            if (!owned.contains(name)) {
                problems.add("[ownedCrds] CRD " + name + " is in manifests/ but not owned by the CSV");
            }
        }
    }

    private static void checkServiceAccounts(ClusterServiceVersion csv, List<JsonNode> manifests, List<String> problems) {
        Set<String> accounts = new HashSet<>();
        for (StrategyDeploymentSpec deployment : deployments(csv)) {
            if (deployment.getSpec() != null && deployment.getSpec().getTemplate() != null && deployment.getSpec().getTemplate().getSpec() != null) {
                accounts.add(deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
            }
        }
        for (JsonNode doc : manifests) {
            String name = doc.path("metadata").path("name").asText();
            if ("ServiceAccount".equals(doc.path("kind").asText()) && accounts.contains(name)) {
                problems.add("[serviceAccounts] ServiceAccount " + name + " in manifests/ has the name of a CSV deployment's "
                        + "serviceAccountName; OLM creates that account itself");
            }
        }
    }

    private void checkRelatedImages(ClusterServiceVersion csv, List<String> problems) {
        List<RelatedImage> images = spec(csv).getRelatedImages();
        if (images == null || images.isEmpty()) {
            problems.add("[relatedImages] spec.relatedImages is empty; every image the operator deploys must be listed");
            return;
        }
        Set<String> names = new HashSet<>();
        for (RelatedImage image : images) {
            if (isBlank(image.getName()) || !names.add(image.getName())) {
                problems.add("[relatedImages] related image names must be set and unique: " + image.getName());
            }
            if (isBlank(image.getImage()) || !PULLSPEC.matcher(image.getImage()).matches()) {
                problems.add("[relatedImages] " + image.getName() + ": '" + image.getImage() + "' is not a valid image pull spec");
            } else if (requireDigests && !DIGEST_REFERENCE.matcher(image.getImage()).matches()) {
                problems.add("[relatedImages] " + image.getName() + ": " + image.getImage() + " is not pinned by digest (a release must be)");
            }
        }
        for (StrategyDeploymentSpec deployment : deployments(csv)) {
            for (Container c : containers(deployment)) {
                if (requireDigests && !DIGEST_REFERENCE.matcher(String.valueOf(c.getImage())).matches()) {
                    problems.add("[relatedImages] container " + c.getName() + " image " + c.getImage() + " is not pinned by digest");
                }
            }
        }
    }

    private static void checkSize(Path dir, List<String> problems) {
        long size = compressedSize(dir);
        if (size > MAX_COMPRESSED_SIZE) {
            problems.add("[size] the bundle is " + size + " bytes compressed, over the " + MAX_COMPRESSED_SIZE + " byte limit");
        } else if (size > MAX_COMPRESSED_SIZE * 85 / 100) {
            problems.add("[size] the bundle is " + size + " bytes compressed, above 85% of the " + MAX_COMPRESSED_SIZE + " byte limit");
        }
    }

    /** The gzip size of manifests/ and metadata/ (path and content of every file): what OLM stores in its catalog. */
    public static long compressedSize(Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            for (String sub : List.of("manifests", "metadata")) {
                for (Path file : files(dir.resolve(sub))) {
                    gzip.write(dir.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                    gzip.write(Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.size();
    }

    // ---- operatorframework suite: OperatorHub v2, standard capabilities and categories, good practices --------

    private static void checkIcon(ClusterServiceVersion csv, List<String> problems) {
        List<Icon> icons = spec(csv).getIcon();
        if (icons == null || icons.size() != 1) {
            problems.add("[icon] the CSV must have exactly one icon, has " + (icons == null ? 0 : icons.size()));
            return;
        }
        Icon icon = icons.get(0);
        if (!ICON_MEDIATYPES.contains(icon.getMediatype())) {
            problems.add("[icon] icon mediatype " + icon.getMediatype() + " is not one of " + ICON_MEDIATYPES);
        }
        try {
            if (isBlank(icon.getBase64data()) || Base64.getDecoder().decode(icon.getBase64data()).length == 0) {
                problems.add("[icon] icon base64data is empty");
            }
        } catch (IllegalArgumentException e) {
            problems.add("[icon] icon base64data is not base64: " + e.getMessage());
        }
    }

    private static void checkCapabilitiesAndCategories(ClusterServiceVersion csv, List<String> problems) {
        Map<String, String> annotations = csv.getMetadata().getAnnotations() == null ? Map.of() : csv.getMetadata().getAnnotations();
        String capabilities = annotations.get("capabilities");
        if (capabilities == null || !CAPABILITIES.contains(capabilities)) {
            problems.add("[capabilities] capabilities '" + capabilities + "' is not one of " + CAPABILITIES);
        }
        String categories = annotations.get("categories");
        if (categories == null || categories.isBlank()) {
            problems.add("[categories] the categories annotation is missing");
        } else {
            for (String category : categories.split(",")) {
                if (!CATEGORIES.contains(category.trim())) {
                    problems.add("[categories] category '" + category.trim() + "' is not one of the standard categories");
                }
            }
        }
    }

    private static void checkMinKubeVersion(ClusterServiceVersion csv, List<String> problems) {
        String min = spec(csv).getMinKubeVersion();
        if (isBlank(min)) {
            problems.add("[minKubeVersion] spec.minKubeVersion is not set");
        } else if (!SEMVER.matcher(min.trim()).matches()) {
            problems.add("[minKubeVersion] spec.minKubeVersion " + min + " is not semver");
        }
    }

    private static void checkOperatorHub(ClusterServiceVersion csv, List<String> problems) {
        ClusterServiceVersionSpec spec = spec(csv);
        if (spec.getProvider() == null || isBlank(spec.getProvider().getName())) {
            problems.add("[operatorHub] spec.provider.name is not set");
        }
        if (spec.getMaintainers() == null || spec.getMaintainers().isEmpty()) {
            problems.add("[operatorHub] spec.maintainers is empty");
        } else {
            spec.getMaintainers().forEach(m -> {
                if (isBlank(m.getName()) || m.getEmail() == null || !EMAIL.matcher(m.getEmail()).matches()) {
                    problems.add("[operatorHub] maintainer " + m.getName() + " needs a name and a valid email, has '" + m.getEmail() + "'");
                }
            });
        }
        if (spec.getLinks() != null) {
            spec.getLinks().forEach(l -> {
                if (isBlank(l.getName()) || !validUrl(l.getUrl())) {
                    problems.add("[operatorHub] link " + l.getName() + " needs a name and a valid URL, has '" + l.getUrl() + "'");
                }
            });
        }
        if (isBlank(spec.getDescription())) {
            problems.add("[operatorHub] spec.description is empty");
        }
    }

    /** Good practice (a warning in the Go tool): CPU and memory requests on every container of every deployment. */
    private static void checkResourceRequests(ClusterServiceVersion csv, List<String> problems) {
        for (StrategyDeploymentSpec deployment : deployments(csv)) {
            for (Container c : containers(deployment)) {
                ResourceRequirements resources = c.getResources();
                Map<String, Quantity> requests = resources == null ? Map.of() : resources.getRequests();
                if (requests == null || !requests.containsKey("cpu") || !requests.containsKey("memory")) {
                    problems.add("[resourceRequests] container " + c.getName() + " of deployment " + deployment.getName()
                            + " has no CPU and memory requests");
                }
            }
        }
    }

    // ---- metadata/annotations.yaml -----------------------------------------------------------------------------

    private static void checkAnnotations(Path dir, ClusterServiceVersion csv, List<String> problems) {
        Path file = dir.resolve("metadata/annotations.yaml");
        if (!Files.isRegularFile(file)) {
            problems.add("[annotations] metadata/annotations.yaml is missing");
            return;
        }
        JsonNode annotations = BuildOutput.documents(file).get(0).path("annotations");
        for (String key : REQUIRED_ANNOTATIONS) {
            if (annotations.path(key).asText().isEmpty()) {
                problems.add("[annotations] " + key + " is missing");
            }
        }
        if (!"registry+v1".equals(annotations.path("operators.operatorframework.io.bundle.mediatype.v1").asText())) {
            problems.add("[annotations] the bundle mediatype must be registry+v1");
        }
        String pkg = annotations.path("operators.operatorframework.io.bundle.package.v1").asText();
        String name = csv.getMetadata().getName();
        if (name != null && !name.startsWith(pkg + ".")) {
            problems.add("[annotations] package " + pkg + " does not match the CSV name " + name);
        }
        List<String> channels = Stream.of(annotations.path("operators.operatorframework.io.bundle.channels.v1").asText().split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        String defaultChannel = annotations.path("operators.operatorframework.io.bundle.channel.default.v1").asText();
        if (!defaultChannel.isEmpty() && !channels.contains(defaultChannel)) {
            problems.add("[annotations] default channel " + defaultChannel + " is not among the channels " + channels);
        }
        for (String channel : channels) {
            if (!channel.startsWith("candidate") && !channel.startsWith("stable") && !channel.startsWith("fast")) {
                problems.add("[annotations] channel " + channel + " does not follow the naming convention (candidate*, fast*, stable*)");
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static ClusterServiceVersionSpec spec(ClusterServiceVersion csv) {
        return csv.getSpec() == null ? new ClusterServiceVersionSpec() : csv.getSpec();
    }

    private static List<StrategyDeploymentSpec> deployments(ClusterServiceVersion csv) {
        ClusterServiceVersionSpec spec = spec(csv);
        if (spec.getInstall() == null || spec.getInstall().getSpec() == null) {
            return List.of();
        }
        return spec.getInstall().getSpec().getDeployments();
    }

    private static List<Container> containers(StrategyDeploymentSpec deployment) {
        if (deployment.getSpec() == null || deployment.getSpec().getTemplate() == null || deployment.getSpec().getTemplate().getSpec() == null) {
            return List.of();
        }
        List<Container> all = new ArrayList<>(deployment.getSpec().getTemplate().getSpec().getInitContainers());
        all.addAll(deployment.getSpec().getTemplate().getSpec().getContainers());
        return all;
    }

    private static boolean validUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.getScheme() != null && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
