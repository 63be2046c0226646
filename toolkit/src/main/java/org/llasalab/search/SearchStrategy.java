package org.llasalab.search;

import java.util.List;

/**
 * A way to spend inference compute on choosing speech: given requests, the models and the guiding
 * verifiers, returns per request the chosen candidate, every scored candidate and a compute ledger.
 * Made, with its typed configuration, by {@link SearchStrategies#create}.
 */
public interface SearchStrategy {
    /** The type name used in YAML ({@code best_of_n}, {@code beam}, ...). */
    String type();

    StrategyConfig config();

    /** One outcome per request, in order. Results depend only on each request's seed. */
    List<SearchOutcome> search(List<SearchRequest> requests, SearchModels models, Guides guides);
}
