package dev.flywheel.cli.bootstrap;

import dev.flywheel.cli.progress.ProgressLine;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapListener;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.bootstrap.BootstrapReport;
import dev.flywheel.core.bootstrap.Progress;
import dev.flywheel.core.bootstrap.Stage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel bootstrap}: trains the default models from scratch into a model store. */
@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = {
            "Trains the default models from scratch: pre-train → SFT → reference (a frozen copy of SFT) → reward model",
            "on simulated comparisons, then writes policy v0, the reference and the RM to the model store in --out and",
            "prints right / refuse / wrong rates in and out of the model's knowledge and the RM's held-out accuracy.",
            "The full run takes under 10 minutes on 2 cores; the repository ships its output for the shipped seed."
        })
public final class BootstrapCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model store directory to write into.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Seeds task, data order, raters and initialisation "
            + "(default: ${DEFAULT-VALUE}, the shipped models' seed).", defaultValue = "" + BootstrapOptions.SHIPPED_SEED)
    long seed;

    @Option(names = "--quick", description = "A tiny model and a few steps (under a minute): a smoke run, not a useful model.")
    boolean quick;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
            description = "Where to train: cpu, or gpu (needs a CUDA GPU visible to DJL's PyTorch engine) (default: ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BootstrapOptions options = (quick ? BootstrapOptions.quick(this.out, seed) : BootstrapOptions.full(this.out, seed))
                .withDevice(device);
        BootstrapReport report = Bootstrap.run(options, new TerminalListener(out));
        out.println();
        out.print(report.toTable());
        out.flush();
        if (!quick && !report.missedTargets().isEmpty()) {
            spec.commandLine().getErr().println("bootstrap missed its quality targets: " + report.missedTargets());
            return 1;
        }
        return 0;
    }

    /** Renders stages as lines that stay and steps as a self-rewriting progress line. */
    private static final class TerminalListener implements BootstrapListener {
        private final PrintWriter out;
        private ProgressLine line;

        TerminalListener(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void stageStarted(Stage stage, int totalSteps) {
            out.printf("%s: %d steps%n", stage.label(), totalSteps);
            out.flush();
            line = ProgressLine.onTerminal(out, stage.label(), totalSteps, "steps");
        }

        @Override
        public void progress(Progress progress) {
            if (line != null) {
                line.show(progress.line());
            }
        }

        @Override
        public void stageFinished(Stage stage, String summary) {
            String text = "  " + stage.label() + " done: " + summary;
            if (line != null) {
                line.finish(text);
            } else {
                out.println(text);
            }
            line = null;
        }
    }
}
