package org.metaunsup.unroll;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;

/**
 * An inference session that works out which part of the graph a request needs once, not on
 * every call. SameDiff M2.1 walks the whole graph for every {@code output} call, running a regular
 * expression on every variable name on the way (VariableUtils.stripVarSuffix); for a K=5 gradient
 * function of ~20k ops that is ~0.5 s of each meta-gradient (JFR, docs/BENCHMARKS.md). A
 * truncation graph is asked for the same outputs every time, so the walk's result is kept and
 * reused while the request and the graph's op count stay the same.
 */
final class CachedSubgraphSession extends InferenceSession {

    private Set<String> cachedRequest;
    private int cachedOpCount = -1;
    private Set<String> cachedSubgraph;
    private Set<String> cachedSubgraphOps;
    private Set<String> cachedZeroInputOps;

    CachedSubgraphSession(SameDiff sd) {
        super(sd);
    }

    @Override
    protected void initSubgraph(Set<String> variables) {
        int ops = sameDiff.getOps().size();
        if (variables.equals(cachedRequest) && ops == cachedOpCount) {
            subgraph.addAll(cachedSubgraph);
            subgraphOps.addAll(cachedSubgraphOps);
            zeroInputOpsInSubgraph.addAll(cachedZeroInputOps);
            return;
        }
        super.initSubgraph(variables);
        cachedRequest = new HashSet<>(variables);
        cachedOpCount = ops;
        cachedSubgraph = new LinkedHashSet<>(subgraph);
        cachedSubgraphOps = new LinkedHashSet<>(subgraphOps);
        cachedZeroInputOps = new HashSet<>(zeroInputOpsInSubgraph);
    }

    /**
     * Drops this session's references to the values of its last pass. A session keeps every
     * op's output of its last call until the next one; an array the pass never released (the
     * requested outputs, values whose consumers lie outside the requested subgraph) then stays
     * alive for as long as the graph sits in a cache. With many cached graphs that is gigabytes
     * held for nothing. Dropped here, they are freed like any garbage (the caller's results
     * are held by the caller).
     */
    void dropLastValues() {
        nodeValueOutputs.clear();
        // The array use tracker still holds the pass's arrays as dependency keys (~150 MB at
        // small K=5); the next pass clears it before it starts anyway.
        getArrayUseTracker().clear();
    }
}
