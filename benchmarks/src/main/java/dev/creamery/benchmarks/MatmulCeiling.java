package dev.creamery.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.creamery.runtime.train.Engines;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** The machine's float32 matmul ceiling through the same engine: 1024×1024 by 1024×1024. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 4)
public class MatmulCeiling {
    static final int N = 1024;

    private NDManager manager;
    private NDArray a;
    private NDArray b;

    /** Allocates the operands. */
    @Setup
    public void setUp() {
        Engines.threads(0);
        manager = NDManager.newBaseManager();
        a = manager.randomUniform(-1, 1, new Shape(N, N));
        b = manager.randomUniform(-1, 1, new Shape(N, N));
    }

    /**
     * @param counters where the multiply-accumulates are counted
     * @return an element of the product, so the work cannot be skipped
     */
    @Benchmark
    public float matmul(Counters counters) {
        return Engines.withoutGradients(() -> {
            try (NDArray c = a.matMul(b)) {
                counters.macs += (double) N * N * N;
                return c.getFloat(0, 0);
            }
        });
    }

    /** Frees the operands. */
    @TearDown
    public void tearDown() {
        manager.close();
    }
}
