package org.llasalab.search;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A strategy parameter's YAML key, declared on a component of the strategy's parameter record: the key
 * is the component's name in snake_case ({@code beamWidth} is {@code beam_width}), read and checked by
 * {@link StrategyType} according to the component's type ({@code int}, {@code double}, {@code boolean}
 * or {@code List<Integer>}). Rules that involve several keys go in the record's constructor.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Key {
    /**
     * The value when the key is not given, as YAML writes it ({@code "4"}, {@code "true"}, {@code "0.5"});
     * empty only for a list, which the record's constructor then fills in from the other parameters.
     */
    String dflt() default "";

    /** The smallest value allowed (a list: for each entry). */
    double min() default Double.NEGATIVE_INFINITY;

    /** The largest value allowed (numbers only). */
    double max() default Double.MAX_VALUE;

    /** For a number whose default 0 means "not set": when given, it must also be > 0. */
    boolean positiveWhenGiven() default false;
}
