package org.llasalab.cli;

/**
 * A subcommand of the {@code llasa} CLI. Implementations are picocli {@code @Command} classes with a
 * public no-argument constructor, listed in {@code META-INF/services/org.llasalab.cli.CliCommand} of
 * the module that defines them, so that every module (toolkit, verifiers, eval) adds its own commands
 * without the launcher knowing them.
 */
public interface CliCommand {
    /**
     * The group this command belongs to ({@code "bench"} for {@code llasa bench lm}, {@code "codec"}
     * for {@code llasa codec decode}, ...), or {@code null} for a top-level command.
     */
    default String group() {
        return null;
    }
}
