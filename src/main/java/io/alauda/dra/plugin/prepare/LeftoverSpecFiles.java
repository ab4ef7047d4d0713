package io.alauda.dra.plugin.prepare;

import io.alauda.dra.cdi.ClaimSpecs;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary files a killed plugin may have left in the CDI directory while writing a claim spec. The spec writer
 * names them {@code .<spec file name>.tmp…} (dot first, so runtimes ignore them); nothing else in the directory
 * starts with the dot and our spec prefix, so removing those at start is safe.
 */
final class LeftoverSpecFiles {

    private static final Logger LOG = Logger.getLogger(LeftoverSpecFiles.class);
    private static final String PREFIX = "." + ClaimSpecs.VENDOR + "-" + ClaimSpecs.CLASS + "_";

    private LeftoverSpecFiles() {
    }

    /** @return the files removed */
    static List<Path> remove(Path cdiRoot) {
        List<Path> leftovers;
        try (Stream<Path> entries = Files.list(cdiRoot)) {
            leftovers = entries.filter(LeftoverSpecFiles::isLeftover).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            LOG.warnf("cannot list CDI directory %s to remove temporary files: %s", cdiRoot, e);
            return List.of();
        }
        for (Path leftover : leftovers) {
            try {
                Files.deleteIfExists(leftover);
                LOG.infof("removed %s, left by a claim spec write that did not finish", leftover);
            } catch (IOException e) {
                LOG.warnf("cannot remove leftover temporary file %s: %s", leftover, e);
            }
        }
        return leftovers;
    }

    private static boolean isLeftover(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(PREFIX) && name.contains(".tmp") && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }
}
