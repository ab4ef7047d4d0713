package io.alauda.dra.nvml.replay;

import io.alauda.dra.nvml.SysfsSource;
import java.util.Optional;

/** Answers sysfs reads from the {@code sysfs} section of a recording; a path it lacks reads as absent. */
public final class SysfsReplay implements SysfsSource {

    private final Recording recording;

    public SysfsReplay(Recording recording) {
        this.recording = recording;
    }

    @Override
    public Optional<String> resolveLink(String path) {
        return recording.sysfs(path);
    }

    @Override
    public Optional<String> readFile(String path) {
        return recording.sysfs(path);
    }
}
