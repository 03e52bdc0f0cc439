package org.metaunsup.basemodel;

import java.util.ArrayList;
import java.util.List;
import org.metaunsup.config.Activation;
import org.metaunsup.ops.GraphOps;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Emits the forward pass of the base MLP f(x; φ) (docs/METHOD.md#base-model): for every layer
 * z = BN(x_prev · W) + b and x = act(z), where BN normalises each unit over the current
 * minibatch (population variance, eps 1e-6, no scale, no running averages).
 */
public final class BaseModelGraph {

    /** Epsilon of the base model's batch norm. */
    public static final double BN_EPS = 1e-6;

    /**
     * Activations of one forward pass.
     *
     * @param x post-activations x^0 … x^L, each [batch, n_l] (x^0 is the input)
     * @param z pre-activations; index l holds z^l for l ≥ 1, index 0 holds x^0 (docs/METHOD.md#numerics:
     *     for the input layer z := x)
     */
    public record Activations(List<SDVariable> x, List<SDVariable> z) {
        /** @return the representation x^L */
        public SDVariable top() {
            return x.get(x.size() - 1);
        }
    }

    private BaseModelGraph() {}

    /**
     * @param sd the graph
     * @param phi base params
     * @param x0 input [batch, n_0], already permuted
     * @param activation nonlinearity
     * @return x^0..x^L and z^0..z^L
     */
    public static Activations forward(SameDiff sd, PhiVars phi, SDVariable x0, Activation activation) {
        List<SDVariable> xs = new ArrayList<>();
        List<SDVariable> zs = new ArrayList<>();
        xs.add(x0);
        zs.add(x0);
        SDVariable x = x0;
        for (int l = 1; l <= phi.depth(); l++) {
            SDVariable a = sd.mmul(x, phi.w(l));
            SDVariable centred = a.sub(a.mean(true, 0));
            SDVariable var = GraphOps.square(centred).mean(true, 0);
            SDVariable z = GraphOps.scale(centred, sd.math().rsqrt(var.add(BN_EPS)), 0).add(phi.b(l));
            x = activate(sd, z, activation);
            zs.add(z);
            xs.add(x);
        }
        return new Activations(xs, zs);
    }

    /**
     * @param sd the graph
     * @param z pre-activation
     * @param activation which nonlinearity
     * @return act(z)
     */
    public static SDVariable activate(SameDiff sd, SDVariable z, Activation activation) {
        return switch (activation) {
            case RELU -> sd.nn().relu(z, 0.0);
            case LEAKY_RELU -> sd.nn().leakyRelu(z, 0.01);
            case SWISH -> sd.nn().swish(z);
            case TANH -> sd.math().tanh(z);
            case STEP -> sd.math().step(z, 0.0);
        };
    }
}
