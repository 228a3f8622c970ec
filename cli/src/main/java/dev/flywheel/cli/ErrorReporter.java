package dev.flywheel.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception from a command into one readable line and an exit code.
 *
 * <p>Bad arguments discovered while running (an {@link IllegalArgumentException}, whose message names the flag and
 * the fix) exit with 2 like picocli's own usage errors; anything else failed at run time and exits with 1. The stack
 * trace is shown only with {@code FLYWHEEL_DEBUG=1}.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        var err = cli.getErr();
        if (e instanceof IllegalArgumentException) {
            err.println(cli.getColorScheme().errorText("flywheel " + qualifiedName(cli) + ": " + e.getMessage()));
            err.println("Try 'flywheel " + qualifiedName(cli) + " --help' for the options.");
            return CommandLine.ExitCode.USAGE;
        }
        err.println(cli.getColorScheme().errorText("flywheel " + qualifiedName(cli) + " failed: " + describe(e)));
        if (timedOut(e)) {
            err.println("No answer from Kafka in time: is a broker running at --bootstrap-servers? "
                    + "Start one with 'flywheel broker', or point --bootstrap-servers at your cluster.");
        }
        if ("1".equals(System.getenv("FLYWHEEL_DEBUG"))) {
            e.printStackTrace(err);
        }
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
            if (cause == cause.getCause()) {
                break;
            }
        }
        return false;
    }

    private static String qualifiedName(CommandLine cli) {
        return cli.getCommandSpec().qualifiedName(" ").replaceFirst("^flywheel ?", "");
    }
}
