package io.alauda.dra.nvml.replay;

import io.alauda.dra.nvml.SysfsSource;
import java.util.Optional;

/** Reads through to another {@link SysfsSource} and files each answer, absent ones as null, in a recording. */
public final class SysfsRecorder implements SysfsSource {

    private final SysfsSource delegate;
    private final Recording recording;

    public SysfsRecorder(SysfsSource delegate, Recording recording) {
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
