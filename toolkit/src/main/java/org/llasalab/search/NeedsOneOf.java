package org.llasalab.search;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a strategy's parameter record: at least one of {@link #keys} must be given in YAML, for the
 * reason {@link #why} (the error says "needs a or b (why)").
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NeedsOneOf {
    String[] keys();

    String why();
}
