package dev.creamery.runtime.train;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent, reproducible seeds from a job seed and a purpose, so that every random
 * choice (a batch order, an augmentation, a sampled subnet) can be replayed exactly, also after a
 * resume.
 */
public final class Seeds {
    private Seeds() {}

    /**
     * @param seed a seed
     * @param parts further inputs (epoch, step, example index, ...)
     * @return a well-mixed seed depending on all inputs
     */
    public static long mix(long seed, long... parts) {
        long h = splitMix(seed);
        for (long part : parts) {
            h = splitMix(h ^ splitMix(part));
        }
        return h;
    }

    /**
     * @param seed a seed
     * @param purpose a text naming what the randomness is for
     * @param parts further inputs
     * @return a well-mixed seed depending on all inputs
     */
    public static long mix(long seed, String purpose, long... parts) {
        long h = 1125899906842597L;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return mix(mix(seed, h), parts);
    }

    /**
     * The seed of one training example's augmentation in one epoch. The training loop draws the
     * augmentation from it, and a logit store records it next to the teacher's output.
     *
     * @param seed the job seed
     * @param epoch the epoch, from 1
     * @param index the example's index in the training split
     * @return the seed
     */
    public static long augmentation(long seed, int epoch, int index) {
        return mix(seed, epoch, index);
    }

    private static long splitMix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
