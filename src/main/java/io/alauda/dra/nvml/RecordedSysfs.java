package io.alauda.dra.nvml;

import java.util.Optional;

/** Answers sysfs reads from the {@code sysfs} section of a recording; a path it lacks reads as absent. */
public final class RecordedSysfs implements SysfsSource {

    private final NvmlRecording recording;

    public RecordedSysfs(NvmlRecording recording) {
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
