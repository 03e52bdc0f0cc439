package org.metaunsup.eval;

/**
 * One measurement of one method on one seed: the readouts' numbers averaged over the support
 * draws.
 *
 * @param method method id
 * @param seed seed index 0..S−1
 * @param step training steps applied so far
 * @param metaLoss ridge meta-objective on the query rows
 * @param ridgeAccuracy few-shot query accuracy of the ridge readout
 * @param logisticAccuracy few-shot query accuracy of the logistic readout
 */
public record CurvePoint(String method, int seed, int step, double metaLoss, double ridgeAccuracy,
                         double logisticAccuracy) {

    /** The three measured quantities, for tables and charts. */
    public enum Metric {
        /** ridge meta-objective */
        META_LOSS("meta_loss", "meta-objective (ridge)"),
        /** ridge query accuracy */
        RIDGE_ACCURACY("ridge_accuracy", "few-shot accuracy, ridge readout"),
        /** logistic query accuracy */
        LOGISTIC_ACCURACY("logistic_accuracy", "few-shot accuracy, logistic readout");

        private final String column;
        private final String title;

        Metric(String column, String title) {
            this.column = column;
            this.title = title;
        }

        /** @return CSV column stem */
        public String column() {
            return column;
        }

        /** @return axis title */
        public String title() {
            return title;
        }
    }

    /**
     * @param m a metric
     * @return its value
     */
    public double value(Metric m) {
        return switch (m) {
            case META_LOSS -> metaLoss;
            case RIDGE_ACCURACY -> ridgeAccuracy;
            case LOGISTIC_ACCURACY -> logisticAccuracy;
        };
    }
}
