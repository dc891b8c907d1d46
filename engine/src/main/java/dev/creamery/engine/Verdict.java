package dev.creamery.engine;

import java.util.Locale;

/**
 * What the engine check decided for this CPU.
 *
 * @param setting the setting in force; null when none computes the convolutions correctly, or when
 *     the environment chose the cap ({@link Source#ENVIRONMENT})
 * @param source where the decision comes from
 * @param checked computations checked against float64 under the chosen setting
 * @param errorAtDefault the worst relative error at the engine's defaults
 * @param whereAtDefault the convolution that showed it
 */
public record Verdict(ConvolutionSetting setting, Source source, int checked, double errorAtDefault, String whereAtDefault) {
    /** Where a verdict comes from. */
    public enum Source {
        /** Checked by this process's start. */
        CHECKED,
        /** Read from the cache of an earlier check. */
        CACHED,
        /** The user capped oneDNN in the environment; nothing was checked. */
        ENVIRONMENT,
        /** The check could not run; the engine's defaults are in force, unchecked. */
        UNCHECKED
    }

    /** @return one sentence for the log: what is in force and why */
    public String explain() {
        if (source == Source.ENVIRONMENT) {
            return "oneDNN's instruction set is capped by the environment (" + whereAtDefault + "); the convolution check is skipped";
        }
        if (source == Source.UNCHECKED) {
            return "could not check this CPU's float32 convolutions (" + whereAtDefault + "); using the engine's defaults unchecked";
        }
        String fault = String.format(Locale.ROOT, "relative error %.2g at %s", errorAtDefault, whereAtDefault);
        if (setting == null) {
            return "this CPU's float32 convolutions are wrong under every engine setting tried (" + fault
                    + "); convolutional models will give wrong results here (docs/running.md, \"Correct convolutions on every CPU\")";
        }
        if (setting == ConvolutionSetting.DEFAULT) {
            return "float32 convolutions are correct with " + setting.describe() + " (" + checked + " computations checked against float64)";
        }
        return "this CPU's float32 convolutions are wrong with oneDNN at its own instruction set (" + fault + "); using "
                + setting.describe() + ", which computes all " + checked
                + " checked convolutions correctly, at some cost in speed (docs/running.md, \"Correct convolutions on every CPU\")";
    }
}
