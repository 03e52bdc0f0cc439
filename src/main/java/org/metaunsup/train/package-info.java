/**
 * Meta-training policy (docs/METHOD.md#meta-training): workers that own a task and run
 * truncations, the learner
 * that owns θ and Adam, the engines that keep truncations in flight (threads, Spark), checkpoints,
 * metrics and held-out evaluation. Builds no graph: every graph comes from {@code unroll}.
 */
package org.metaunsup.train;
