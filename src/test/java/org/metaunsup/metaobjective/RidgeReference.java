package org.metaunsup.metaobjective;

/**
 * Plain-Java double-precision reference of the ridge meta-objective
 * (docs/METHOD.md#meta-objective, #numerics), written
 * independently of the graph: explicit loops and Gaussian elimination with partial pivoting.
 */
final class RidgeReference {

    /** Loss and metrics. */
    record Values(double loss, double queryError, double penalty, double supportAccuracy,
            double queryAccuracy, double[][] w) {}

    private RidgeReference() {}

    static Values compute(double[][] features, int nSupport, double[][] ySupport,
            double[][] yQuery, double lambda) {
        int nQuery = features.length - nSupport;
        int d = features[0].length;
        int p = d + 1;
        int c = ySupport[0].length;
        double[][] a = new double[features.length][p];
        for (int i = 0; i < features.length; i++) {
            System.arraycopy(features[i], 0, a[i], 0, d);
            a[i][d] = 1.0;
        }
        double[][] ts = centreAndScale(ySupport);
        double[][] tq = centreAndScale(yQuery);

        double[][] g = new double[p][p];
        double[][] r = new double[p][c];
        for (int i = 0; i < nSupport; i++) {
            for (int j = 0; j < p; j++) {
                for (int k = 0; k < p; k++) {
                    g[j][k] += a[i][j] * a[i][k];
                }
                for (int k = 0; k < c; k++) {
                    r[j][k] += a[i][j] * ts[i][k];
                }
            }
        }
        for (int j = 0; j < d; j++) {
            g[j][j] += lambda;
        }
        double[][] w = solve(g, r);

        double queryError = 0;
        int correctQ = 0;
        for (int i = 0; i < nQuery; i++) {
            double[] pred = times(a[nSupport + i], w);
            double norm = 0;
            for (double v : pred) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < c; k++) {
                double diff = pred[k] / norm - tq[i][k];
                queryError += diff * diff;
            }
            if (argmax(pred) == argmax(yQuery[i])) {
                correctQ++;
            }
        }
        queryError /= nQuery;
        int correctS = 0;
        for (int i = 0; i < nSupport; i++) {
            if (argmax(times(a[i], w)) == argmax(ySupport[i])) {
                correctS++;
            }
        }
        double penalty = 0;
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < c; k++) {
                penalty += w[j][k] * w[j][k];
            }
        }
        penalty *= lambda / nSupport;
        return new Values(queryError + penalty, queryError, penalty,
                correctS / (double) nSupport, correctQ / (double) nQuery, w);
    }

    /** (Y − mean of all entries) / √(mean over rows of the centred row norm²). */
    static double[][] centreAndScale(double[][] y) {
        int n = y.length;
        int c = y[0].length;
        double mean = 0;
        for (double[] row : y) {
            for (double v : row) {
                mean += v;
            }
        }
        mean /= (double) n * c;
        double meanSq = 0;
        double[][] out = new double[n][c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                out[i][k] = y[i][k] - mean;
                meanSq += out[i][k] * out[i][k];
            }
        }
        double scale = 1.0 / Math.sqrt(meanSq / n);
        for (double[] row : out) {
            for (int k = 0; k < c; k++) {
                row[k] *= scale;
            }
        }
        return out;
    }

    /** Solves G X = R by Gaussian elimination with partial pivoting (copies its inputs). */
    static double[][] solve(double[][] g0, double[][] r0) {
        int n = g0.length;
        int m = r0[0].length;
        double[][] g = new double[n][];
        double[][] r = new double[n][];
        for (int i = 0; i < n; i++) {
            g[i] = g0[i].clone();
            r[i] = r0[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int i = col + 1; i < n; i++) {
                if (Math.abs(g[i][col]) > Math.abs(g[piv][col])) {
                    piv = i;
                }
            }
            double[] t = g[col];
            g[col] = g[piv];
            g[piv] = t;
            t = r[col];
            r[col] = r[piv];
            r[piv] = t;
            for (int i = col + 1; i < n; i++) {
                double f = g[i][col] / g[col][col];
                for (int k = col; k < n; k++) {
                    g[i][k] -= f * g[col][k];
                }
                for (int k = 0; k < m; k++) {
                    r[i][k] -= f * r[col][k];
                }
            }
        }
        double[][] x = new double[n][m];
        for (int i = n - 1; i >= 0; i--) {
            for (int k = 0; k < m; k++) {
                double s = r[i][k];
                for (int j = i + 1; j < n; j++) {
                    s -= g[i][j] * x[j][k];
                }
                x[i][k] = s / g[i][i];
            }
        }
        return x;
    }

    private static double[] times(double[] row, double[][] w) {
        double[] out = new double[w[0].length];
        for (int j = 0; j < row.length; j++) {
            for (int k = 0; k < out.length; k++) {
                out[k] += row[j] * w[j][k];
            }
        }
        return out;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
