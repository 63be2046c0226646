package org.llasalab.microworld;

import java.util.List;
import java.util.Optional;

/** The micro world's fixed registry of speakers and speaking styles (espeak-ng voices and SSML prosody). */
public final class Voices {
    /**
     * A speaker: an espeak-ng accent with a voice variant, a base pitch (0-99) and speed (words per
     * minute).
     */
    public record Speaker(String id, String accent, String variant, String gender, int pitch, int speed) {
        public String voice() {
            return accent + "+" + variant;
        }
    }

    /**
     * A speaking style, as SSML prosody relative to the speaker: pitch shift, pitch range, speaking
     * rate and volume (percentages), plus an emotion label for verifiers.
     */
    public record Style(String id, String emotion, int pitchPercent, int rangePercent, int ratePercent, int volumePercent) {
        public String prosodyOpenTag() {
            return "<prosody pitch=\"" + (pitchPercent >= 0 ? "+" : "") + pitchPercent + "%\" range=\"" + rangePercent
                    + "%\" rate=\"" + ratePercent + "%\" volume=\"" + volumePercent + "%\">";
        }
    }

    public static final List<Speaker> SPEAKERS = List.of(
            new Speaker("us_m1", "en-us", "m1", "male", 45, 165),
            new Speaker("us_f2", "en-us", "f2", "female", 60, 172),
            new Speaker("gb_m3", "en-gb", "m3", "male", 40, 160),
            new Speaker("gb_f4", "en-gb", "f4", "female", 66, 176),
            new Speaker("sc_m2", "en-gb-scotland", "m2", "male", 50, 155),
            new Speaker("sc_f1", "en-gb-scotland", "f1", "female", 56, 166),
            new Speaker("rp_m5", "en-gb-x-rp", "m5", "male", 34, 150),
            new Speaker("rp_f3", "en-gb-x-rp", "f3", "female", 70, 170),
            new Speaker("cb_m4", "en-029", "m4", "male", 48, 162),
            new Speaker("cb_f5", "en-029", "f5", "female", 62, 168),
            new Speaker("lc_m6", "en-gb-x-gbclan", "m6", "male", 42, 158),
            new Speaker("wm_m7", "en-gb-x-gbcwmd", "m7", "male", 52, 174),
            new Speaker("ny_m8", "en-us-nyc", "m8", "male", 46, 180),
            new Speaker("ny_f1", "en-us-nyc", "f1", "female", 58, 164),
            new Speaker("us_m3", "en-us", "m3", "male", 38, 150),
            new Speaker("gb_f2", "en-gb", "f2", "female", 64, 160));

    public static final List<Style> STYLES = List.of(
            new Style("neutral", "neutral", 0, 100, 100, 100),
            new Style("cheerful", "happy", 25, 180, 118, 110),
            new Style("sad", "sad", -18, 35, 78, 55),
            new Style("angry", "angry", 6, 140, 115, 150));

    private Voices() {}

    public static Optional<Speaker> speaker(String id) {
        return SPEAKERS.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public static Optional<Style> style(String id) {
        return STYLES.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
