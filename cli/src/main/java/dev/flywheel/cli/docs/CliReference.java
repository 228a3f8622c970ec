package dev.flywheel.cli.docs;

import dev.flywheel.cli.Flywheel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The README's CLI reference, rendered from picocli's own usage text so it cannot drift from the code.
 *
 * <p>{@code README.md} holds it between {@link #START} and {@link #END}; {@code CliReferenceTest} fails when the two
 * differ, and running this class's {@code main} with the README's path rewrites that section.
 */
public final class CliReference {

    public static final String START = "<!-- cli-reference:start (generated from picocli usage; do not edit) -->";
    public static final String END = "<!-- cli-reference:end -->";
    private static final int WIDTH = 110;

    private CliReference() {}

    /** The markdown of every command and subcommand, depth first, in declaration order. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        append(out, Flywheel.commandLine());
        return out.toString();
    }

    /** The README text with its reference section replaced by {@link #markdown()}. */
    public static String withReference(String readme) {
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("README.md has no '" + START + "' … '" + END + "' section");
        }
        return readme.substring(0, start + START.length()) + "\n" + markdown() + readme.substring(end);
    }

    /** The section currently in the README. */
    public static String sectionOf(String readme) {
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("README.md has no '" + START + "' … '" + END + "' section");
        }
        return readme.substring(start + START.length() + 1, end);
    }

    /** Rewrites the reference section of the README at {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path readme = Path.of(args.length > 0 ? args[0] : "README.md");
        Files.writeString(readme, withReference(Files.readString(readme)));
    }

    private static void append(StringBuilder out, CommandLine command) {
        if (command.getCommandSpec().usageMessage().hidden() || "help".equals(command.getCommandName())) {
            return;
        }
        command.setUsageHelpWidth(WIDTH);
        command.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        out.append("#### `").append(command.getCommandSpec().qualifiedName(" ")).append("`\n\n```text\n")
                .append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n\n");
        command.getSubcommands().values().stream().distinct().forEach(sub -> append(out, sub));
    }
}
