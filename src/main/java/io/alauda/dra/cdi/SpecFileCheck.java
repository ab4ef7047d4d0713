package io.alauda.dra.cdi;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Checks CDI spec files from a shell, with nothing but this jar on the classpath:
 * {@code java -cp <app jar> io.alauda.dra.cdi.SpecFileCheck /var/run/cdi/k8s.gpu.nvidia.com-claim_*.json}.
 * Exit status 0 when every file is valid, 1 when one is not, 2 for a usage error.
 */
public final class SpecFileCheck {

    private SpecFileCheck() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: SpecFileCheck <spec.json>...");
            return 2;
        }
        int status = 0;
        for (String arg : args) {
            Path file = Path.of(arg);
            try {
                Spec spec = SpecValidator.validateFile(file);
                out.println("OK " + file + ": kind " + spec.kind() + ", cdiVersion " + spec.cdiVersion()
                        + " (content needs " + CdiVersions.minimumFor(spec) + "), " + spec.devices().size()
                        + " device(s)");
            } catch (CdiException e) {
                out.println("INVALID " + file + ": " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }
}
