package dev.creamery.asvit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reward of the official search ({@code TEG} in {@code teg.py}, reward types {@code ntk_exp}):
 * each metric's change since the previous step, divided by its range over the last
 * {@code bufferSize} values, signed so that improvement is positive, summed over the metrics:
 * {@code r_t = sum_m sign_m (m_t - m_{t-1}) / (max(m[-B:]) - min(m[-B:]) + 1e-6)}. The first step
 * gets 0. With {@link Mode#VALUE} the reward is simply {@code sum_m sign_m m_t}.
 *
 * <p>The reward depends on the order of the steps, which is why it belongs to the strategy and not
 * to an evaluator (evaluations are cached per architecture). A step without metrics (a failed
 * trial) counts each metric as the worst value in its buffer, which is what the official code
 * intends for bad architectures; before any value is known such a step has no reward.
 */
public final class RelativeChangeReward {
    /** How metrics become a reward. */
    public enum Mode {
        /** The official relative change of each metric over a sliding buffer. */
        RELATIVE_CHANGE,
        /** The signed metrics themselves. */
        VALUE
    }

    private static final double EPSILON = 1e-6;

    private final List<Goal> goals;
    private final Mode mode;
    private final int bufferSize;
    private final List<List<Double>> buffers = new ArrayList<>();

    /**
     * @param goals the metrics and their directions
     * @param mode how metrics become a reward
     * @param bufferSize values the range is taken over (official: 20)
     */
    public RelativeChangeReward(List<Goal> goals, Mode mode, int bufferSize) {
        if (bufferSize < 2) {
            throw new IllegalArgumentException("buffer-size must be >= 2, got " + bufferSize);
        }
        this.goals = List.copyOf(goals);
        this.mode = mode;
        this.bufferSize = bufferSize;
        goals.forEach(g -> buffers.add(new ArrayList<>()));
    }

    /**
     * @param metrics a step's metrics, or null if the step has none (a failed trial)
     * @return the reward, or null if the step cannot be rewarded (no metrics and nothing known yet)
     * @throws IllegalStateException if the metrics lack a rewarded metric
     */
    public Double next(Map<String, Double> metrics) {
        double[] values = new double[goals.size()];
        for (int i = 0; i < goals.size(); i++) {
            Goal goal = goals.get(i);
            List<Double> buffer = buffers.get(i);
            if (metrics == null) {
                if (buffer.isEmpty()) {
                    return null;
                }
                values[i] = goal.maximize() ? buffer.stream().mapToDouble(d -> d).min().orElseThrow()
                        : buffer.stream().mapToDouble(d -> d).max().orElseThrow();
            } else {
                Double value = metrics.get(goal.metric());
                if (value == null) {
                    throw new IllegalStateException("the reward uses " + goal.metric() + " but the evaluator reported only "
                            + metrics.keySet() + "; choose an evaluator that reports it or change the reward");
                }
                values[i] = value;
            }
        }
        double reward = 0;
        for (int i = 0; i < goals.size(); i++) {
            List<Double> buffer = buffers.get(i);
            buffer.add(values[i]);
            if (mode == Mode.VALUE) {
                reward += goals.get(i).sign() * values[i];
                continue;
            }
            if (buffer.size() <= 1) {
                continue;
            }
            List<Double> window = buffer.subList(Math.max(0, buffer.size() - bufferSize), buffer.size());
            double max = window.stream().mapToDouble(d -> d).max().orElseThrow();
            double min = window.stream().mapToDouble(d -> d).min().orElseThrow();
            double change = (values[i] - buffer.get(buffer.size() - 2)) / (max - min + EPSILON);
            reward += goals.get(i).sign() * change;
        }
        return reward;
    }

    /**
     * Parses a mode as settings write it.
     *
     * @param text {@code relative-change} or {@code value}
     * @return the mode
     */
    public static Mode mode(String text) {
        return switch (text) {
            case "relative-change" -> Mode.RELATIVE_CHANGE;
            case "value" -> Mode.VALUE;
            default -> throw new IllegalArgumentException("reward-mode must be relative-change or value, got '" + text + "'");
        };
    }
}
