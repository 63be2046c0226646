package org.llasalab.cli;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Entry point of the {@code llasa} command line: collects every {@link CliCommand} on the class path. */
public final class Main {
    private static final Map<String, String> GROUP_DESCRIPTIONS = Map.of(
            "bench", "Benchmarks that measure this machine (ratios against limits measured in the same run).",
            "codec", "Encode, decode and resynthesise audio with a speech codec.",
            "microworld", "Build and inspect the micro world (corpus, codec, verifiers).");

    private Main() {}

    public static CommandLine commandLine() {
        CommandSpec root = CommandSpec.create().name("llasa").mixinStandardHelpOptions(true);
        root.version("Llasa Lab 0.1.0");
        root.usageMessage().description(
                "Llasa Lab: reproduce train-time and inference-time scaling of Llasa text-to-speech.");
        CommandLine cli = new CommandLine(root);
        Map<String, CommandLine> groups = new LinkedHashMap<>();
        ServiceLoader.load(CliCommand.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(c -> c.getClass().getName()))
                .forEach(command -> {
                    String group = command.group();
                    if (group == null) {
                        cli.addSubcommand(command);
                    } else {
                        groups.computeIfAbsent(group, g -> {
                            CommandSpec spec = CommandSpec.create().name(g).mixinStandardHelpOptions(true);
                            spec.usageMessage().description(GROUP_DESCRIPTIONS.getOrDefault(g, g + " commands"));
                            CommandLine groupCli = new CommandLine(spec);
                            cli.addSubcommand(g, groupCli);
                            return groupCli;
                        }).addSubcommand(command);
                    }
                });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("llasa: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (System.getenv("LLASA_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }

    public static void main(String[] args) {
        CommandLine cli = commandLine();
        int code;
        if (args.length == 0) {
            cli.usage(System.out);
            code = 0;
        } else {
            code = cli.execute(args);
        }
        System.exit(code);
    }
}
