package dev.creamery.asvit;

import java.util.List;

/**
 * Settings of the {@code reinforce} strategy; defaults in {@code reference.conf} at
 * {@code creamery.strategy.reinforce} are those of search/reinforce.py.
 *
 * @param steps policy updates (one sampled architecture each)
 * @param learningRate Adam's learning rate for the logits
 * @param emaMomentum momentum of the moving-average baseline
 * @param initScale standard deviation of the initial logits
 * @param reward metrics and directions, {@code metric:max} or {@code metric:min}
 * @param rewardMode {@code relative-change} (official) or {@code value}
 * @param bufferSize values the relative change is normalised over
 * @param batch architectures sampled from the policy before it is updated with each of them (the
 *     official search: 1); a batch goes to the search context at once, so an executor may evaluate
 *     its members side by side
 */
public record ReinforceSettings(int steps, double learningRate, double emaMomentum, double initScale, List<String> reward,
        String rewardMode, int bufferSize, int batch) {
    /** Checks every setting's domain. */
    public ReinforceSettings {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning-rate must be > 0, got " + learningRate);
        }
        if (emaMomentum < 0 || emaMomentum >= 1) {
            throw new IllegalArgumentException("ema-momentum must be in [0, 1), got " + emaMomentum);
        }
        if (initScale < 0) {
            throw new IllegalArgumentException("init-scale must be >= 0, got " + initScale);
        }
        reward = List.copyOf(reward);
        Goal.parseAll(reward, "reward");
        RelativeChangeReward.mode(rewardMode);
        if (bufferSize < 2) {
            throw new IllegalArgumentException("buffer-size must be >= 2, got " + bufferSize);
        }
        if (batch < 1 || batch > steps) {
            throw new IllegalArgumentException("batch must be in [1, steps], got " + batch);
        }
    }

    /** @return the parsed reward goals */
    public List<Goal> goals() {
        return Goal.parseAll(reward, "reward");
    }
}
