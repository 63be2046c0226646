package org.llasalab.cli.search;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.search.SearchStrategies;
import org.llasalab.search.StrategyParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code llasa search strategies}: the search strategy types, their YAML keys and defaults. */
@Command(name = "strategies", mixinStandardHelpOptions = true,
        description = "List the search strategies an experiment's search block can name, with their keys and defaults.")
public final class StrategiesCommand implements CliCommand, Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "TYPE", description = "Show only this strategy type.")
    String only;

    @Override
    public String group() {
        return "search";
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String type : only == null ? SearchStrategies.types() : java.util.Set.of(SearchStrategies.type(only).name())) {
            var t = SearchStrategies.type(type);
            out.println(type + ": " + t.description());
            out.println("  keys: " + String.join(", ", t.allowedKeys())
                    + " (sampling: " + String.join(", ", new java.util.TreeSet<>(StrategyParams.SAMPLING_KEYS)) + ")");
            out.println("  defaults: " + t.defaults());
        }
        out.flush();
        return 0;
    }
}
