package dev.creamery.asvit;

import java.util.Arrays;

/** Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations (the NTK is only batch x batch). */
final class SymmetricEigen {
    private SymmetricEigen() {}

    /**
     * @param matrix a symmetric n x n matrix, row-major (only read)
     * @param n its size
     * @return the eigenvalues, ascending; NaN everywhere if the matrix has a non-finite entry
     */
    static double[] eigenvalues(double[] matrix, int n) {
        double[] a = matrix.clone();
        for (double v : a) {
            if (!Double.isFinite(v)) {
                double[] nan = new double[n];
                Arrays.fill(nan, Double.NaN);
                return nan;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double v = a[i * n + j] * a[i * n + j];
                    total += v;
                    if (i != j) {
                        off += v;
                    }
                }
            }
            if (off <= 1e-30 * total || off == 0) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p * n + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k * n + p];
                        double akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p * n + k];
                        double aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i * n + i];
        }
        Arrays.sort(values);
        return values;
    }
}
