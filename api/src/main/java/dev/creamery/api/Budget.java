package dev.creamery.api;

/** How much a search may still spend. Rejected and repeated candidates cost nothing. */
public interface Budget {
    /** @return evaluated trials so far (including those restored when a run resumes) */
    int trialsUsed();

    /** @return the most trials the search may evaluate */
    int maxTrials();

    /** @return whether no further trial may be evaluated (trial count or wall time used up) */
    boolean exhausted();
}
