package io.alauda.dra.doctor.cli;

import io.alauda.dra.doctor.ClaimDoctor;
import io.alauda.dra.doctor.ClaimReport;
import io.alauda.dra.doctor.kube.InputException;
import io.alauda.dra.doctor.kube.Loaded;
import io.alauda.dra.doctor.kube.Sources;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code explain}: says why a ResourceClaim can or cannot be allocated, per request and per device, from files or
 * from the cluster. Runs without Quarkus ({@code java -jar quarkus-run.jar explain ...}).
 *
 * <p>Exit codes: 0 the claim can be allocated; 1 it cannot (the report says why); 2 bad usage or input (the message
 * names the flag or field and the fix); 3 the cluster could not be read.
 */
public final class ExplainCommand {

    public static final int SATISFIABLE = 0;
    public static final int UNSATISFIABLE = 1;
    public static final int BAD_INPUT = 2;
    public static final int CLUSTER_ERROR = 3;

    private static final Pattern NAMESPACED_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$");

    static final String USAGE = """
            Usage: explain CLAIM [flags]

            Says why a DRA ResourceClaim can or cannot be allocated: per request, which devices match and, for
            every other device, the first reason (node, DeviceClass selector, claim selector with the attribute's
            actual value, missing attribute, type mismatch, taint, allocated to which claim, capacity), the values
            actually published when a selector wants one nobody has, and whether one node can hold all requests.

            CLAIM is a file (ResourceClaim or ResourceClaimTemplate, YAML or JSON; kubectl get -o yaml output
            works) or NAMESPACE/NAME of a claim or claim template in the cluster (kubeconfig: $KUBECONFIG,
            ~/.kube/config, or the pod's service account).

            Flags:
              --slices FILE_OR_DIR  ResourceSlices (repeatable; a directory is read file by file). With a claim
                                    file; from the cluster all slices are read
              --classes FILE        DeviceClasses (repeatable; default: the driver's gpu.nvidia.com and
                                    mig.nvidia.com)
              --objects FILE_OR_DIR other objects: ResourceClaims with status.allocation (their devices count as
                                    allocated), Nodes (then node eligibility is judged), Namespaces (adminAccess)
              --output FORMAT       table (default) or json
              --all                 table: one row per device even when there are many (default: devices with the
                                    same reason are grouped above 40 devices)
              --help                this text

            Exit codes: 0 can be allocated, 1 cannot, 2 bad usage or input, 3 the cluster could not be read.
            """;

    private ExplainCommand() {
    }

    public static void main(String... args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, () -> new KubernetesClientBuilder().build());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Supplier<KubernetesClient> clients) {
        String claim = null;
        List<Path> files = new ArrayList<>();
        String output = "table";
        boolean all = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return SATISFIABLE;
                }
                case "--slices", "--classes", "--objects" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, a + " needs a file or directory");
                    }
                    files.add(Path.of(args[++i]));
                }
                case "--output", "-o" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, a + " needs table or json");
                    }
                    output = args[++i];
                    if (!output.equals("table") && !output.equals("json")) {
                        return usage(err, "--output is '" + output + "'; use table or json");
                    }
                }
                case "--all" -> all = true;
                default -> {
                    if (a.startsWith("--output=")) {
                        output = a.substring("--output=".length());
                        if (!output.equals("table") && !output.equals("json")) {
                            return usage(err, "--output is '" + output + "'; use table or json");
                        }
                    } else if (a.startsWith("-")) {
                        return usage(err, "unknown flag " + a);
                    } else if (claim != null) {
                        return usage(err, "one CLAIM only; got '" + claim + "' and '" + a + "'");
                    } else {
                        claim = a;
                    }
                }
            }
        }
        if (claim == null) {
            return usage(err, "CLAIM is missing: give a claim file or NAMESPACE/NAME");
        }
        Loaded loaded;
        try {
            if (Files.exists(Path.of(claim))) {
                loaded = Sources.fromFiles(Path.of(claim), files);
            } else if (NAMESPACED_NAME.matcher(claim).matches()) {
                if (!files.isEmpty()) {
                    return usage(err, "--slices, --classes and --objects go with a claim file; with NAMESPACE/NAME "
                            + "everything is read from the cluster");
                }
                String[] parts = claim.split("/", 2);
                try (KubernetesClient client = clients.get()) {
                    loaded = Sources.fromCluster(client, parts[0], parts[1]);
                } catch (KubernetesClientException e) {
                    err.println("explain: cannot read the cluster: " + e.getMessage());
                    return CLUSTER_ERROR;
                }
            } else {
                return usage(err, "CLAIM '" + claim + "' is neither a file nor NAMESPACE/NAME");
            }
        } catch (InputException e) {
            err.println("explain: " + e.getMessage());
            return BAD_INPUT;
        }
        loaded.notes().forEach(n -> err.println("note: " + n));
        ClaimReport report = new ClaimDoctor(loaded.inventory()).explain(loaded.claim());
        out.print(output.equals("json") ? ReportOutput.json(report) : ReportOutput.table(report, all));
        return report.satisfiable() ? SATISFIABLE : UNSATISFIABLE;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("explain: " + problem);
        err.println("Run 'explain --help' for the flags.");
        return BAD_INPUT;
    }
}
