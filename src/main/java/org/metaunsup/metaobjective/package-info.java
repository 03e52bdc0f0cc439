/**
 * The meta-objective: few-shot ridge regression on the base model's features
 * (docs/METHOD.md#meta-objective, #numerics).
 *
 * <p>{@link org.metaunsup.metaobjective.RidgeObjective} emits the loss and the support/query
 * accuracies as a SameDiff fragment under a name scope, once per inner step of an unroll;
 * {@link org.metaunsup.metaobjective.DifferentiableSolve} is the linear solve it uses, the
 * only nd4j op here whose stock gradient is missing.
 *
 * <p>Relation to the authors' release ({@code meta_objective/linear_regression.py},
 * {@code LinearRegressionMetaObjective} with its defaults: zero/one labels, centred targets,
 * normalised ŷ, λ = 0.1, no hinge, test_train_scalar = 1):
 * <ul>
 *   <li>The query targets are the query one-hots put through the same centring and scaling as
 *       the support targets, with the query set's own statistics ({@code get_y_vec(batch_test)}),
 *       and the loss compares them with the row-normalised predictions ŷ/‖ŷ‖. We do the same.
 *   <li>The release divides the summed query error by the number of <em>support</em> rows
 *       ({@code batch_size = y_train.shape[0]}); docs/METHOD.md#meta-objective says "mean over
 *       query rows". Equal
 *       when nSupport = nQuery (always so in the release, which splits one batch in halves);
 *       we follow docs/METHOD.md#dev-query-mean.
 *   <li>The release inverts AᵀA + diag(λ,…,λ,0) explicitly ({@code tf.matrix_inverse}); we
 *       solve. Its accuracy takes the argmax of the normalised query predictions and of the
 *       centred targets; both argmaxes are unchanged by those positive row scalings and that
 *       shift, so the result equals ours (argmax of the unnormalised predictions vs. the
 *       one-hot label).
 * </ul>
 */
package org.metaunsup.metaobjective;
