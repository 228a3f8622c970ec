package dev.flywheel.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --json FILE} option every benchmark takes: results go to stdout and, with it, to that file. */
public final class JsonOption {

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path file;

    /** Prints {@code report} to {@code out} and writes it to the --json file when one was given. */
    public void emit(BenchReport report, PrintWriter out) {
        report.print(out);
        if (file != null) {
            report.writeJson(file);
            out.println("  results written to " + file);
            out.flush();
        }
    }
}
