package dev.creamery.asvit;

import java.util.ArrayList;
import java.util.List;

/**
 * A metric and the direction that is better, written {@code metric:max} or {@code metric:min} in
 * settings (e.g. {@code length_distortion:max}, {@code ntk_condition:min}).
 *
 * @param metric the metric name
 * @param maximize whether larger values are better
 */
public record Goal(String metric, boolean maximize) {
    /** @return +1 if larger is better, -1 if smaller is */
    public double sign() {
        return maximize ? 1 : -1;
    }

    /**
     * @param text {@code metric:max} or {@code metric:min}
     * @param setting the setting's name, for the error message
     * @return the goal
     */
    public static Goal parse(String text, String setting) {
        int colon = text.lastIndexOf(':');
        String direction = colon < 0 ? "" : text.substring(colon + 1).trim();
        String metric = colon < 0 ? "" : text.substring(0, colon).trim();
        if (metric.isEmpty() || !(direction.equals("max") || direction.equals("min"))) {
            throw new IllegalArgumentException(setting + " entries are 'metric:max' or 'metric:min' (e.g. length_distortion:max), got '"
                    + text + "'");
        }
        return new Goal(metric, direction.equals("max"));
    }

    /**
     * @param texts entries of a setting
     * @param setting the setting's name, for error messages
     * @return the goals, in order; at least one, no metric twice
     */
    public static List<Goal> parseAll(List<String> texts, String setting) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException(setting + " needs at least one 'metric:max' or 'metric:min' entry");
        }
        List<Goal> goals = new ArrayList<>();
        for (String text : texts) {
            Goal goal = parse(text, setting);
            if (goals.stream().anyMatch(g -> g.metric.equals(goal.metric))) {
                throw new IllegalArgumentException(setting + " lists " + goal.metric + " twice");
            }
            goals.add(goal);
        }
        return List.copyOf(goals);
    }

    @Override
    public String toString() {
        return metric + (maximize ? ":max" : ":min");
    }
}
