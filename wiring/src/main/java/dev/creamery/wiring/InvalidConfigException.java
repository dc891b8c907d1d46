package dev.creamery.wiring;

import java.util.List;
import java.util.stream.Collectors;

/** A job's configuration has problems; all of them are listed, one per line. */
public class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /** @param problems every problem found */
    public InvalidConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** @return every problem found */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
