package org.llasalab.search;

/**
 * Builds the LM prompt ids for a piece of a request's text (used when a long text is searched in
 * chunks): the chat template around {@code text}, plus the request's voice-cloning prompt if any.
 */
@FunctionalInterface
public interface PromptBuilder {
    int[] prompt(SearchRequest request, String text);
}
