package io.alauda.dra.plugin.sharing;

import io.alauda.dra.nvml.NvmlLibraryLocator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Changes GPU settings as upstream does: the driver root's own {@code nvidia-smi}, with {@code libnvidia-ml.so.1}
 * of the same driver preloaded so the tool finds the library the node runs whatever the container's library path.
 * Upstream sets {@code -c DEFAULT} and then {@code compute-policy --set-timeslice <0..3>}; reading back uses the
 * read-only forms ({@code --query-gpu=compute_mode}, {@code compute-policy -l}).
 */
public final class NvidiaSmiSharingControl implements GpuSharingControl {

    static final List<String> BINARY_DIRS = List.of("bin", "usr/bin", "usr/sbin", "sbin");
    /** GPU UUIDs come from NVML, never from a claim; checked anyway, since they become command-line arguments. */
    private static final Pattern UUID = Pattern.compile("GPU-[0-9A-Za-z-]{1,64}");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path nvidiaSmi;
    private final Path nvml;
    private final CommandRunner runner;

    NvidiaSmiSharingControl(Path nvidiaSmi, Path nvml, CommandRunner runner) {
        this.nvidiaSmi = nvidiaSmi;
        this.nvml = nvml;
        this.runner = runner;
    }

    /**
     * @param driverRoot the driver root as this process sees it (the container's {@code /driver-root})
     * @throws IllegalStateException naming every place looked in when the driver root has no nvidia-smi
     */
    public static NvidiaSmiSharingControl forDriverRoot(Path driverRoot) {
        Path nvml = NvmlLibraryLocator.locate(driverRoot);
        List<Path> tried = new ArrayList<>();
        for (String dir : BINARY_DIRS) {
            Path candidate = driverRoot.resolve(dir).resolve("nvidia-smi");
            tried.add(candidate);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return new NvidiaSmiSharingControl(candidate, nvml, CommandRunner.PROCESS);
            }
        }
        throw new IllegalStateException("GPU sharing needs the driver's nvidia-smi, but none is under driver root "
                + driverRoot + " (looked for " + tried + "); check spec.driverRoot of the NvidiaDraDriver");
    }

    @Override
    public Optional<ComputeMode> computeMode(String gpuUuid) throws GpuSharingException {
        String out = run(List.of("-i", checked(gpuUuid), "--query-gpu=compute_mode", "--format=csv,noheader"), gpuUuid);
        // Any line that is a mode: the loader may print a warning about LD_PRELOAD first.
        return out.lines().map(ComputeMode::parse).flatMap(Optional::stream).findFirst();
    }

    @Override
    public void setComputeMode(String gpuUuid, ComputeMode mode) throws GpuSharingException {
        run(List.of("-i", checked(gpuUuid), "-c", mode.argument()), gpuUuid);
    }

    @Override
    public Optional<Integer> timeSlice(String gpuUuid) throws GpuSharingException {
        String out = run(List.of("compute-policy", "-i", checked(gpuUuid), "-l"), gpuUuid);
        return parseTimeSlice(out);
    }

    @Override
    public void setTimeSlice(String gpuUuid, int level) throws GpuSharingException {
        if (TimeSliceInterval.byLevel(level).isEmpty()) {
            throw new IllegalArgumentException("time-slice level " + level + " is not 0 to 3");
        }
        run(List.of("compute-policy", "-i", checked(gpuUuid), "--set-timeslice", Integer.toString(level)), gpuUuid);
    }

    /**
     * The output's format is nvidia-smi's and not promised to stay. Driver 580 prints a table, one row per GPU
     * ({@code |   0   Timeslice       Default       |}); a {@code Timeslice: Default} line is read too. The word after
     * "timeslice", a level name or number, is the value; anything else is "cannot tell" (and Default is restored later).
     */
    static Optional<Integer> parseTimeSlice(String output) {
        for (String line : output.lines().toList()) {
            String[] words = line.replace('|', ' ').replace(':', ' ').trim().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if (!words[i].equalsIgnoreCase("timeslice")) {
                    continue;
                }
                String value = words[i + 1];
                Optional<TimeSliceInterval> named = java.util.Arrays.stream(TimeSliceInterval.values())
                        .filter(interval -> interval.apiName().equalsIgnoreCase(value)).findFirst();
                if (named.isPresent()) {
                    return Optional.of(named.get().level());
                }
                if (value.matches("[0-3]")) {
                    return Optional.of(Integer.parseInt(value));
                }
            }
        }
        return Optional.empty();
    }

    private String run(List<String> args, String gpuUuid) throws GpuSharingException {
        List<String> command = new ArrayList<>();
        command.add(nvidiaSmi.toString());
        command.addAll(args);
        String shown = "nvidia-smi " + String.join(" ", args);
        CommandRunner.Result result;
        try {
            result = runner.run(command, Map.of("LD_PRELOAD", nvml.toString()), TIMEOUT);
        } catch (IOException e) {
            throw new GpuSharingException("'" + shown + "' for GPU " + gpuUuid + " could not run: " + e.getMessage(), e);
        }
        if (result.exitCode() != 0) {
            throw new GpuSharingException("'" + shown + "' for GPU " + gpuUuid + " failed with exit code "
                    + result.exitCode() + ": " + result.output().strip());
        }
        return result.output();
    }

    private static String checked(String gpuUuid) {
        if (gpuUuid == null || !UUID.matcher(gpuUuid).matches()) {
            throw new IllegalArgumentException("'" + gpuUuid + "' is not a GPU UUID");
        }
        return gpuUuid;
    }
}
