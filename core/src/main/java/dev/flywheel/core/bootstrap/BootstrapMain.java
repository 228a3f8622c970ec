package dev.flywheel.core.bootstrap;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs the bootstrap from the command line before the CLI wires it:
 * {@code BootstrapMain --out DIR [--seed N] [--quick] [--device cpu|gpu]}; prints progress lines and the table.
 */
public final class BootstrapMain {

    private BootstrapMain() {
    }

    /** Entry point; exits 2 on bad arguments, 1 if the full run misses a quality target. */
    public static void main(String[] args) {
        Path out = null;
        long seed = BootstrapOptions.SHIPPED_SEED;
        boolean quick = false;
        String device = "cpu";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, "--seed"));
                case "--quick" -> quick = true;
                case "--device" -> device = value(args, ++i, "--device");
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        if (out == null) {
            usage("--out DIR is required");
        }
        BootstrapOptions options = (quick ? BootstrapOptions.quick(out, seed) : BootstrapOptions.full(out, seed))
                .withDevice(device);
        BootstrapReport report = Bootstrap.run(options, new BootstrapListener() {
            @Override
            public void stageStarted(Stage stage, int totalSteps) {
                System.out.printf(Locale.ROOT, "== %s (%d steps)%n", stage.label(), totalSteps);
            }

            @Override
            public void progress(Progress progress) {
                if (progress.step() % Math.max(1, progress.totalSteps() / 10) == 0
                        || progress.step() == progress.totalSteps()) {
                    System.out.println("   " + progress.line());
                }
            }

            @Override
            public void stageFinished(Stage stage, String summary) {
                System.out.println("   done: " + summary);
            }
        });
        System.out.println();
        System.out.print(report.toTable());
        if (!quick && !report.missedTargets().isEmpty()) {
            System.exit(1);
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            usage(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("bootstrap: " + problem);
        System.err.println("usage: BootstrapMain --out DIR [--seed N] [--quick] [--device cpu|gpu]");
        System.exit(2);
    }
}
