package org.metaunsup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.metaunsup.BadInputException;

/**
 * Config values are checked by meaning before any work starts: each value that means nothing is
 * one line naming the key, the value and what is allowed; the key table drives both reading and
 * writing.
 */
class ConfigValidationTest {

    private static BadInputException rejected(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(ConfigLoader.load("tiny").toProperties());
        m.put(key, value);
        return assertThrows(BadInputException.class, () -> ConfigLoader.resolve("bad", m), key + " = " + value);
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "base.input | 0", "base.input | x", "base.hidden | 6,0", "base.hidden | 6,,5", "base.top | -1",
        "base.activation | sigmoid", "inner.batch | 0", "inner.batch | 1", "inner.batch | 2.5",
        "inner.eta | 0", "inner.eta | 1", "inner.eta | -1e-3", "inner.eta | NaN",
        "rule.hidden | 0", "rule.delta | 0", "rule.top_width | 0", "rule.grad_channels | 0",
        "rule.top_kernel | 4", "rule.top_kernel | -1", "rule.kernel | 0", "rule.kernel | 2",
        "rule.v_shares_w | yes", "objective.classes | 1", "objective.support_per_class | 0",
        "objective.query_per_class | 0", "objective.lambda | 0", "objective.lambda | -0.1",
        "task.hidden_layers | 3..2", "task.hidden_layers | 0..2", "task.hidden_width | 0",
        "task.inner_steps | 10..x", "task.truncation | -2..4",
        "outer.lr | 0", "outer.beta1 | 1", "outer.beta1 | -0.1", "outer.beta2 | 1.5", "outer.eps | 0",
        "outer.clip_norm | 0", "outer.batch | 0", "outer.checkpoint_every | 0", "outer.eval_every | -5",
        "outer.estimator | sgd", "outer.estimator | PES", "outer.sigma | 0", "outer.sigma | -0.01", "outer.sigma | NaN",
        "outer.pairs | 0", "outer.pairs | 1.5", "outer.forward_truncation | 0..20", "outer.forward_truncation | 50..20",
        "task.pool | 0", "task.pool | -4", "task.pool | all", "task.stagger | 1"})
    void meaninglessValueIsOneLineNamingKeyValueAndWhatIsAllowed(String key, String value) {
        String msg = rejected(key, value).getMessage();
        assertTrue(msg.startsWith("config bad: " + key + " = '" + value + "': must be "), msg);
        assertFalse(msg.contains("\n"), msg);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small", "paper"})
    void builtInsAreValidAndRoundTripThroughTheirProperties(String name) {
        ExperimentConfig c = ConfigLoader.load(name);
        assertEquals(c, ConfigLoader.resolve(name, c.toProperties()));
        assertEquals(ConfigKeys.names(), c.toProperties().keySet());
        ConfigKeys.validate(c);
    }

    @Test
    void outerOptimiserKeysAreRead() {
        OuterConfig o = ConfigLoader.load("small").outer();
        assertEquals(0.9, o.beta1());
        assertEquals(0.999, o.beta2());
        assertEquals(1e-8, o.eps());
        assertTrue(o.lr() > 0 && o.clipNorm() > 0 && o.batch() >= 1 && o.checkpointEvery() >= 1 && o.evalEvery() >= 1);
    }

    @Test
    void configBuiltInCodeIsCheckedByTheSameRules() {
        ExperimentConfig c = ConfigLoader.load("tiny");
        OuterConfig o = c.outer();
        ExperimentConfig bad = new ExperimentConfig("coded", c.graph(), c.task(), new OuterConfig(o.lr(), o.beta1(),
                o.beta2(), o.eps(), 0.0, o.batch(), o.checkpointEvery(), o.evalEvery(), o.estimator(), o.sigma(), o.pairs(),
                o.forwardTruncation(), o.init()));
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigKeys.validate(bad));
        assertTrue(e.getMessage().startsWith("config coded: outer.clip_norm = '0.0': must be"), e.getMessage());
    }

    @Test
    void unknownKeysStayErrorsAndExtendsStillWorks(@TempDir Path tmp) throws Exception {
        Path own = tmp.resolve("mine.properties");
        Files.writeString(own, "extends = tiny\ninner.batch = 4\nouter.lr = 1e-3\n");
        ExperimentConfig c = ConfigLoader.load(own.toString());
        assertEquals("mine", c.name());
        assertEquals(4, c.innerBatch());
        assertEquals(1e-3, c.outer().lr());
        assertEquals(ConfigLoader.load("tiny").rule(), c.rule());

        Path typo = tmp.resolve("typo.properties");
        Files.writeString(typo, "extends = tiny\nouter.learning_rate = 1e-3\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(typo.toString()));
        assertTrue(e.getMessage().contains("unknown config key 'outer.learning_rate'"), e.getMessage());

        Path zero = tmp.resolve("zero.properties");
        Files.writeString(zero, "extends = tiny\ninner.batch = 0\n");
        e = assertThrows(BadInputException.class, () -> ConfigLoader.load(zero.toString()));
        assertTrue(e.getMessage().startsWith("config zero: inner.batch = '0': must be an integer >= 2"), e.getMessage());
    }

    @Test
    void estimatorAndPoolKeysAreReadAndOlderRecordsKeepTodaysBehaviour() throws Exception {
        Map<String, String> m = new LinkedHashMap<>(ConfigLoader.load("small").toProperties());
        m.put("outer.estimator", "pes");
        m.put("outer.sigma", "0.003");
        m.put("outer.pairs", "4");
        m.put("outer.forward_truncation", "20..100");
        m.put("task.pool", "16");
        m.put("task.stagger", "true");
        ExperimentConfig c = ConfigLoader.resolve("est", m);
        assertEquals(Estimator.PES, c.outer().estimator());
        assertEquals(0.003, c.outer().sigma());
        assertEquals(4, c.outer().pairs());
        assertEquals(new IntRange(20, 100), c.outer().forwardTruncation());
        assertEquals(16, c.task().poolSize(2));
        assertTrue(c.task().stagger());
        assertEquals(c, ConfigLoader.resolve("est", c.toProperties()));
        for (String k : new String[] {"outer.estimator", "outer.sigma", "outer.pairs", "outer.forward_truncation",
            "task.pool", "task.stagger", "outer.init"}) {
            m.remove(k);
        }
        ExperimentConfig old = ConfigKeys.fromRecord("old", m);
        assertEquals(Estimator.BACKPROP, old.outer().estimator());
        assertEquals(3, old.task().poolSize(3), "task.pool = workers: one slot per worker");
        assertFalse(old.task().stagger());
        // A run started before these keys keeps its identity (checkpoint digest) while they are at
        // the values that mean their absence; a key set otherwise is part of it.
        Set<String> neutral = Set.of("outer.estimator", "outer.sigma", "outer.pairs",
                "outer.forward_truncation", "task.pool", "task.stagger");
        assertEquals(m.keySet(), ConfigKeys.identity(old).keySet());
        assertTrue(ConfigKeys.identity(c).keySet().containsAll(neutral));
        // outer.init too: at meta it is what a record without it meant; hebbian is another run.
        assertFalse(ConfigKeys.identity(c).containsKey("outer.init"));
        Map<String, String> h = new LinkedHashMap<>(c.toProperties());
        h.put("outer.init", "hebbian");
        assertTrue(ConfigKeys.identity(ConfigLoader.resolve("hebb", h)).containsKey("outer.init"));
        for (String b : new String[] {"tiny", "small", "paper"}) {
            ExperimentConfig d = ConfigLoader.load(b);
            assertTrue(Collections.disjoint(neutral, ConfigKeys.identity(d).keySet()), b);
            assertEquals(Estimator.BACKPROP, d.outer().estimator(), b);
            assertEquals(TaskDistributionConfig.POOL_WORKERS, d.task().pool(), b);
            assertFalse(d.task().stagger(), b);
        }
    }

    @Test
    void missingKeyIsNamed() {
        Map<String, String> m = new LinkedHashMap<>(ConfigLoader.load("tiny").toProperties());
        m.remove("outer.eval_every");
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.resolve("partial", m));
        assertEquals("config partial: missing key 'outer.eval_every'", e.getMessage());
    }

    @Test
    void recordsFromBeforeTheNewerOuterKeysStillLoad() {
        Map<String, String> m = new LinkedHashMap<>(ConfigLoader.load("tiny").toProperties());
        for (String k : new String[] {"outer.beta1", "outer.beta2", "outer.eps", "outer.checkpoint_every",
            "outer.eval_every"}) {
            m.remove(k);
        }
        assertThrows(BadInputException.class, () -> ConfigLoader.resolve("old", m));
        ExperimentConfig c = ConfigKeys.fromRecord("old", m);
        assertEquals(ConfigLoader.load("tiny").graph(), c.graph());
        assertEquals(0.999, c.outer().beta2());
        m.remove("rule.hidden");
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigKeys.fromRecord("old", m));
        assertEquals("config old: missing key 'rule.hidden'", e.getMessage());
    }
}
