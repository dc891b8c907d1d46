package dev.creamery.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a benchmark invocation processed, reported by JMH as rates next to its throughput (operation
 * counters are divided by the measured time): images per second and multiply-accumulates per second
 * (from the analytic counts; training counts three per forward one, for the forward and backward
 * passes).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Counters {
    /** Images processed. */
    public long images;
    /** Multiply-accumulates performed. */
    public double macs;

    /** Counts from zero in every iteration, so that each iteration's rate is its own. */
    @Setup(Level.Iteration)
    public void reset() {
        images = 0;
        macs = 0;
    }

    void add(long batch, double macsPerImage) {
        images += batch;
        macs += batch * macsPerImage;
    }
}
