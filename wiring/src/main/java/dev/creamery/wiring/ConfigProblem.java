package dev.creamery.wiring;

/**
 * One thing wrong with a job's configuration.
 *
 * @param path the config path, e.g. {@code job.strategy.population}
 * @param message what is wrong and what is allowed
 * @param origin where the offending value comes from ({@code job.conf:12}, {@code --set}), or empty
 */
public record ConfigProblem(String path, String message, String origin) {
    @Override
    public String toString() {
        return (origin.isEmpty() ? "" : origin + ": ") + path + " - " + message;
    }
}
