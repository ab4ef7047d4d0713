package io.alauda.dra.cdi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * The discover command runs on GPU machines from a bare classpath, so this package must work with nothing but the
 * JDK, our own classes and Jackson's three jars: the spec round trip and the real device-node lookup run here in a
 * class loader that cannot see Quarkus or fabric8.
 */
class MinimalClasspathTest {

    @Test
    void readsValidatesWritesAndStatsWithOnlyOurClassesAndJacksonOnTheClasspath() throws Exception {
        String golden = ClaimSpecBuilderTest.golden("mig-claim.json");
        URL[] classpath = Stream.of(SpecJson.class, JsonFactory.class, ObjectMapper.class, JsonInclude.class)
                .map(type -> type.getProtectionDomain().getCodeSource().getLocation()).toArray(URL[]::new);
        try (URLClassLoader isolated = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader())) {
            Class<?> json = isolated.loadClass(SpecJson.class.getName());
            Class<?> spec = isolated.loadClass(Spec.class.getName());
            Class<?> validator = isolated.loadClass(SpecValidator.class.getName());
            Class<?> unixNodes = isolated.loadClass(UnixDeviceNodeSource.class.getName());
            assertNotSame(SpecJson.class, json);

            Object parsed = json.getMethod("fromJson", String.class).invoke(null, golden);
            Object problems = validator.getMethod("problems", spec).invoke(null, parsed);
            Object written = json.getMethod("toJson", spec).invoke(null, parsed);
            Object devNull = unixNodes.getMethod("stat", Path.class)
                    .invoke(unixNodes.getConstructor().newInstance(), Path.of("/dev/null"));

            assertEquals(List.of(), problems);
            assertEquals(golden, written);
            assertEquals(true, ((Optional<?>) devNull).isPresent());
        }
    }
}
