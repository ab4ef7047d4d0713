package io.alauda.dra.nvml;

import java.util.Optional;

/** Reads through to another {@link SysfsSource} and files each answer, absent ones as null, in a recording. */
public final class RecordingSysfs implements SysfsSource {

    private final SysfsSource delegate;
    private final NvmlRecording recording;

    public RecordingSysfs(SysfsSource delegate, NvmlRecording recording) {
        this.delegate = delegate;
        this.recording = recording;
    }

    @Override
    public Optional<String> resolveLink(String path) {
        Optional<String> answer = delegate.resolveLink(path);
        recording.putSysfs(path, answer.orElse(null));
        return answer;
    }

    @Override
    public Optional<String> readFile(String path) {
        Optional<String> answer = delegate.readFile(path);
        recording.putSysfs(path, answer.orElse(null));
        return answer;
    }
}
