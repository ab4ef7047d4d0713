package io.alauda.dra;

import io.alauda.dra.discover.DiscoverCommand;
import io.alauda.dra.doctor.cli.ExplainCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Arrays;

/**
 * Entry point of the one image: {@code <role>} as the first argument (or {@code DRA_ROLE}) picks what starts.
 * {@code discover} runs without Quarkus, so it also works from a bare classpath of our classes plus JNA and Jackson;
 * {@code explain} (the claim doctor) runs without Quarkus too.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("discover")) {
            System.exit(DiscoverCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        if (args.length > 0 && args[0].equals("explain")) {
            System.exit(ExplainCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        String chosen = args.length > 0 ? args[0] : System.getenv("DRA_ROLE");
        if (chosen != null && !chosen.isBlank()) {
            Role role;
            try {
                role = Role.parse(chosen);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage() + ", or 'discover' or 'explain'");
                System.exit(2);
                return;
            }
            System.setProperty("dra.role", role.id());
            if (role != Role.OPERATOR) {
                // QOSDK's health check reports DOWN wherever the operator is not started, which would keep the
                // controller's readiness probe failing forever.
                System.setProperty("quarkus.smallrye-health.check.\"io.quarkiverse.operatorsdk.runtime.OperatorHealthCheck\".enabled",
                        "false");
            }
        }
        Quarkus.run(args);
    }
}
