package dev.creamery.api.nn;

/**
 * iRPE's bucket of every token pair (the official {@code get_bucket_ids_2d}): tokens are the skip
 * tokens, then the patches of a {@code height x width} grid row by row; a pair of patches maps through
 * the piecewise index function of its offset, a pair with a skip token to one extra bucket, the last.
 */
final class RpeBuckets {
    /** The function of the offset a table indexes by: a method, or one axis of the cross method. */
    enum Function {
        EUCLIDEAN, QUANTIZATION, PRODUCT, ROWS, COLUMNS
    }

    private RpeBuckets() {}

    /**
     * The official {@code piecewise_index} of one offset, in its float32 arithmetic: offsets within
     * {@code alpha} are kept; beyond, {@code alpha + ln(|x| / alpha) / ln(gamma / alpha) (beta - alpha)},
     * rounded half to even, clipped at the float {@code beta}, signed and truncated to an integer.
     *
     * @param x an integer-valued offset or distance
     * @param alpha the exact range
     * @param beta the largest index
     * @param gamma where the logarithmic range ends
     * @return the index, in {@code [-int(beta), int(beta)]}
     */
    static int piecewise(float x, double alpha, double beta, double gamma) {
        float abs = Math.abs(x);
        if (abs <= alpha) {
            return (int) Math.rint(x);
        }
        float ratio = abs / (float) alpha;
        float m = (float) alpha + (float) Math.log(ratio) / (float) Math.log(gamma / alpha) * (float) (beta - alpha);
        float clipped = Math.min((float) Math.rint(m), (float) beta);
        return (int) (Math.signum(x) * clipped);
    }

    /**
     * @param function what the table indexes by
     * @param config the piecewise index function's parameters
     * @param height rows of the patch grid
     * @param width columns of the patch grid
     * @param skip tokens before the grid
     * @return the bucket of each pair, {@code (skip + height * width)²}, row-major
     */
    static long[] ids(Function function, RpeConfig config, int height, int width, int skip) {
        double alpha = config.alpha();
        double beta = config.beta();
        double gamma = config.gamma();
        int betaInt = (int) beta;
        int side = 2 * betaInt + 1;
        int patches = height * width;
        int tokens = skip + patches;
        long extra = function == Function.PRODUCT ? (long) side * side : side;
        long[] ids = new long[tokens * tokens];
        java.util.Arrays.fill(ids, extra);
        for (int i = 0; i < patches; i++) {
            for (int j = 0; j < patches; j++) {
                int dr = i / width - j / width;
                int dc = i % width - j % width;
                long id = switch (function) {
                    case EUCLIDEAN -> piecewise((float) Math.rint((float) Math.sqrt((float) (dr * dr + dc * dc))), alpha, beta, gamma) + betaInt;
                    case QUANTIZATION -> piecewise(dr * dr + dc * dc, alpha, beta, gamma) + betaInt;
                    case ROWS -> piecewise(dr, alpha, beta, gamma) + betaInt;
                    case COLUMNS -> piecewise(dc, alpha, beta, gamma) + betaInt;
                    case PRODUCT -> (long) (piecewise(dr, alpha, beta, gamma) + betaInt) * side + piecewise(dc, alpha, beta, gamma) + betaInt;
                };
                ids[(skip + i) * tokens + skip + j] = id;
            }
        }
        return ids;
    }
}
