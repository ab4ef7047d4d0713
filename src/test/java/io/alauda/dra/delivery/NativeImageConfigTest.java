package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native build cannot run here (no GraalVM), so its JNA configuration is checked against the classes of this
 * build instead: every class, field, method and constructor that src/main/docker/native-image names must exist, the
 * proxied interfaces must be interfaces, and the JNI stub that JNA unpacks must be in the JNA jar and in
 * quarkus.native.resources.includes. A typo, or a JNA upgrade that moved something, fails here instead of on a node.
 */
class NativeImageConfigTest {

    private static final Path DIR = Path.of("src/main/docker/native-image");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jniConfigurationNamesExistingMembers() throws IOException {
        assertEquals(List.of(), missingMembers(DIR.resolve("jni-config.json")));
    }

    @Test
    void reflectionConfigurationNamesExistingMembers() throws IOException {
        assertEquals(List.of(), missingMembers(DIR.resolve("reflect-config.json")));
    }

    /**
     * NVML is bound by JNA direct mapping: JNA's C code registers each class's native methods with JNI RegisterNatives
     * after finding them by reflection, so native-image must know every such class for both, the optional-function
     * holders included. No JNA interface mapping (and so no dynamic proxy) is left.
     */
    @Test
    void everyDirectMappedClassIsRegisteredForJniAndReflection() throws Exception {
        Class<?> library = Class.forName("io.alauda.dra.nvml.NvmlLibrary");
        List<String> directMapped = new ArrayList<>(List.of(library.getName()));
        for (Class<?> holder : library.getDeclaredClasses()) {
            directMapped.add(holder.getName());
        }
        for (String config : List.of("jni-config.json", "reflect-config.json")) {
            List<String> registered = new ArrayList<>();
            for (JsonNode entry : JSON.readTree(DIR.resolve(config).toFile())) {
                if (entry.path("name").asText().startsWith("io.alauda.dra.nvml.") && entry.path("allDeclaredMethods").asBoolean()) {
                    registered.add(entry.path("name").asText());
                }
            }
            assertEquals(directMapped.stream().sorted().toList(), registered.stream().sorted().toList(), config);
        }
        assertFalse(Files.exists(DIR.resolve("proxy-config.json")), "no JNA interface is proxied any more");
    }

    /** Jackson binds the CDI spec file to SpecJson's records by reflection; the image must keep them whole. */
    @Test
    void theCdiSpecRecordsAreRegisteredForReflection() throws IOException {
        List<String> records = new ArrayList<>();
        for (Class<?> nested : io.alauda.dra.cdi.SpecJson.class.getDeclaredClasses()) {
            if (nested.isRecord()) {
                records.add(nested.getName());
            }
        }
        List<String> registered = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(DIR.resolve("reflect-config.json").toFile())) {
            if (entry.path("name").asText().startsWith("io.alauda.dra.cdi.") && entry.path("allDeclaredConstructors").asBoolean()
                    && entry.path("allDeclaredMethods").asBoolean() && entry.path("allDeclaredFields").asBoolean()) {
                registered.add(entry.path("name").asText());
            }
        }
        assertEquals(records.stream().sorted().toList(), registered.stream().sorted().toList());
    }

    @Test
    void theJniStubIsPackagedAndIncludedInTheExecutable() throws IOException {
        String stub = "com/sun/jna/linux-x86-64/libjnidispatch.so";
        assertTrue(com.sun.jna.Native.class.getClassLoader().getResource(stub) != null, stub + " is not in the JNA jar");
        Properties app = new Properties();
        try (var in = getClass().getResourceAsStream("/application.properties")) {
            app.load(in);
        }
        assertTrue(app.getProperty("quarkus.native.resources.includes", "").contains(stub));
        assertTrue(app.getProperty("quarkus.native.additional-build-args", "").contains("--initialize-at-run-time=com.sun.jna"));
    }

    /** "Class", "Class.field" or "Class.method(params)" for each entry that does not resolve. */
    static List<String> missingMembers(Path file) throws IOException {
        List<String> missing = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(file.toFile())) {
            String name = entry.path("name").asText();
            Class<?> type;
            try {
                type = Class.forName(name, false, NativeImageConfigTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(name);
                continue;
            }
            for (JsonNode field : entry.path("fields")) {
                try {
                    type.getDeclaredField(field.path("name").asText());
                } catch (NoSuchFieldException e) {
                    missing.add(name + "." + field.path("name").asText());
                }
            }
            for (JsonNode method : entry.path("methods")) {
                List<Class<?>> params = new ArrayList<>();
                try {
                    for (JsonNode p : method.path("parameterTypes")) {
                        params.add(classOf(p.asText()));
                    }
                    String methodName = method.path("name").asText();
                    if (methodName.equals("<init>")) {
                        type.getDeclaredConstructor(params.toArray(Class[]::new));
                    } else {
                        type.getDeclaredMethod(methodName, params.toArray(Class[]::new));
                    }
                } catch (ReflectiveOperationException e) {
                    missing.add(name + "." + method.path("name").asText() + method.path("parameterTypes"));
                }
            }
            if (entry.path("allDeclaredMethods").asBoolean()) {
                Method[] methods = type.getDeclaredMethods();
                if (methods.length == 0) {
                    missing.add(name + " (no methods to register)");
                }
            }
        }
        return missing;
    }

    private static Class<?> classOf(String name) throws ClassNotFoundException {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            case "short" -> short.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            default -> name.endsWith("[]")
                    ? classOf(name.substring(0, name.length() - 2)).arrayType()
                    : Class.forName(name, false, NativeImageConfigTest.class.getClassLoader());
        };
    }
}
