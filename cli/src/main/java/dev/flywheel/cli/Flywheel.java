package dev.flywheel.cli;

import dev.flywheel.cli.bench.BenchCommand;
import dev.flywheel.cli.bootstrap.BootstrapCommand;
import dev.flywheel.cli.broker.BrokerCommand;
import dev.flywheel.cli.demo.DemoCommand;
import dev.flywheel.cli.feedback.FeedbackIngestCommand;
import dev.flywheel.cli.feedback.SimulateCommand;
import dev.flywheel.cli.generator.GeneratorCommand;
import dev.flywheel.cli.lag.LagCommand;
import dev.flywheel.cli.learner.LearnerCommand;
import dev.flywheel.cli.monitor.MonitorCommand;
import dev.flywheel.cli.records.ConsumeCommand;
import dev.flywheel.cli.records.ProduceCommand;
import dev.flywheel.cli.scorer.ScorerCommand;
import dev.flywheel.cli.topics.TopicsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code flywheel} command. */
@Command(name = "flywheel",
        mixinStandardHelpOptions = true,
        versionProvider = FlywheelVersion.class,
        description = "Kafka-native online RLHF: prompts and feedback in, continuously improving policy versions out.",
        subcommands = {
            DemoCommand.class,
            BootstrapCommand.class,
            BrokerCommand.class,
            TopicsCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            GeneratorCommand.class,
            FeedbackIngestCommand.class,
            SimulateCommand.class,
            ScorerCommand.class,
            LearnerCommand.class,
            LagCommand.class,
            MonitorCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Flywheel implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: exit codes 0 (done), 1 (failed), 2 (usage). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Flywheel());
        cli.setExecutionExceptionHandler(new ErrorReporter());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'flywheel --help'");
    }
}
