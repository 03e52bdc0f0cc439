package org.metaunsup.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.collect.ImmutableMap;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.RuleConfig;
import org.metaunsup.util.BuildInfo;

/**
 * The metadata card of a θ file (docs/THETA_FORMAT.md): everything needed to use θ without
 * outside knowledge — the rule widths and the base top width that fix θ's shapes, the inner
 * step size and batch it was meta-trained with, the activation, the whole resolved config — and
 * its provenance: version and commit of the writing program, outer step, seeds, checksums of the
 * data it was meta-trained on. Stored as UTF-8 JSON inside the file.
 *
 * @param format always {@link #FORMAT}
 * @param formatVersion version of the file layout, {@link #FORMAT_VERSION} for files written now
 * @param rule the rule widths
 * @param topUnits the base model top width n_L θ is built for (the top-down network mixes all
 *     top units, so θ only applies to base models of this top width)
 * @param eta inner step size η
 * @param innerBatch unlabelled examples per inner step during meta-training
 * @param activation base model activation during meta-training ({@code relu}, …)
 * @param architecture widths n_0 … n_L of the one-step graph stored in the file (written by
 *     {@link ThetaFile#write}; only an example, θ applies to any architecture of this top width)
 * @param dtype floating type of the stored θ ({@code FLOAT} or {@code DOUBLE}; written by the writer)
 * @param config name of the config
 * @param configProperties the resolved config, keys as in config files
 * @param version version of the program that wrote the file
 * @param commit git commit of that program (stamped at its build), or "unknown"
 * @param outerStep outer (meta-training) steps applied to θ; 0 for a meta-initialised θ
 * @param seeds named seeds of the run that made θ
 * @param dataChecksums data files (or set names) meta-trained on → their checksums
 * @param created ISO-8601 instant the card was made
 * @param thetaSha256 SHA-256 of θ's values (written by the writer; see {@link ThetaFile#checksum})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThetaCard(
        @JsonProperty("format") String format,
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("rule") Rule rule,
        @JsonProperty("top_units") int topUnits,
        @JsonProperty("eta") double eta,
        @JsonProperty("inner_batch") int innerBatch,
        @JsonProperty("activation") String activation,
        @JsonProperty("architecture") int[] architecture,
        @JsonProperty("dtype") String dtype,
        @JsonProperty("config") String config,
        @JsonProperty("config_properties") Map<String, String> configProperties,
        @JsonProperty("version") String version,
        @JsonProperty("commit") String commit,
        @JsonProperty("outer_step") long outerStep,
        @JsonProperty("seeds") Map<String, Long> seeds,
        @JsonProperty("data_checksums") Map<String, String> dataChecksums,
        @JsonProperty("created") String created,
        @JsonProperty("theta_sha256") String thetaSha256) {

    /** Value of {@link #format}: tells our files from other SameDiff files. */
    public static final String FORMAT = "metaunsup-theta";
    /** Layout version written by this code; readers accept this and older. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Later writers may add fields within one format version; old readers ignore them.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The rule widths (docs/METHOD.md#rule; config keys {@code rule.*}).
     *
     * @param hidden h
     * @param delta d
     * @param topWidth channels of the top-down network
     * @param gradChannels g
     * @param topKernel kernel of the first top-down convolution
     * @param kernel kernel of every other convolution
     * @param vSharesW whether V receives W's change
     */
    public record Rule(
            @JsonProperty("hidden") int hidden,
            @JsonProperty("delta") int delta,
            @JsonProperty("top_width") int topWidth,
            @JsonProperty("grad_channels") int gradChannels,
            @JsonProperty("top_kernel") int topKernel,
            @JsonProperty("kernel") int kernel,
            @JsonProperty("v_shares_w") boolean vSharesW) {

        /** @return the widths as the core's config record */
        public RuleConfig toConfig() {
            return new RuleConfig(hidden, delta, topWidth, gradChannels, topKernel, kernel, vSharesW);
        }

        /** @return the widths of a config record */
        public static Rule of(RuleConfig r) {
            return new Rule(r.hidden(), r.delta(), r.topWidth(), r.gradChannels(), r.topKernel(), r.kernel(),
                    r.vSharesW());
        }
    }

    /** Copies the maps so a card is a value. */
    public ThetaCard {
        configProperties = configProperties == null ? Map.of() : ImmutableMap.copyOf(configProperties);
        seeds = seeds == null ? Map.of() : ImmutableMap.copyOf(seeds);
        dataChecksums = dataChecksums == null ? Map.of() : ImmutableMap.copyOf(dataChecksums);
        architecture = architecture == null ? null : architecture.clone();
    }

    /**
     * A card for θ made under a config, stamped with this program's version and commit and the
     * current time. The writer fills in {@link #architecture}, {@link #dtype} and
     * {@link #thetaSha256}. This is what meta-training passes to {@link ThetaFile#write} at a
     * checkpoint.
     *
     * @param cfg the resolved config θ was (meta-)trained under; its base top width is θ's
     * @param outerStep outer steps applied so far
     * @param seeds named seeds of the run
     * @param dataChecksums data files (or set names) → checksums
     * @return the card
     */
    public static ThetaCard of(ExperimentConfig cfg, long outerStep, Map<String, Long> seeds,
                               Map<String, String> dataChecksums) {
        return new ThetaCard(FORMAT, FORMAT_VERSION, Rule.of(cfg.rule()), cfg.base().topWidth(), cfg.eta(),
                cfg.innerBatch(), cfg.base().activation().name().toLowerCase(Locale.ROOT), null, null,
                cfg.name(), cfg.toProperties(), BuildInfo.version(), BuildInfo.commit(), outerStep, seeds,
                dataChecksums, Instant.now().toString(), null);
    }

    /** @return the config this card records (rebuilt from {@link #configProperties}) */
    public ExperimentConfig toConfig() {
        return CoreAdapter.config(config, configProperties);
    }

    /**
     * @param arch widths of the stored graph
     * @param type dtype name
     * @param sha θ checksum
     * @return this card with the writer's fields set
     */
    ThetaCard withContent(int[] arch, String type, String sha) {
        return new ThetaCard(format, formatVersion, rule, topUnits, eta, innerBatch, activation, arch, type, config,
                configProperties, version, commit, outerStep, seeds, dataChecksums, created, sha);
    }

    /** @return the card as indented JSON */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a theta card", e);
        }
    }

    /**
     * @param json card JSON
     * @return the card
     * @throws JsonProcessingException when it is not a card
     */
    public static ThetaCard fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, ThetaCard.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThetaCard c && toJson().equals(c.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "ThetaCard[" + config + ", top " + topUnits + ", outer step " + outerStep + ", commit " + commit + "]";
    }
}
