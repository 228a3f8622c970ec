package dev.flywheel.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.cli.CommandRun;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke runs of every {@code flywheel bench} subcommand at tiny sizes: each prints its figures and writes them with
 * {@code --json}. Benchmarks report figures, never verdicts, so speeds are not asserted; counts that follow from the
 * settings are.
 */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void sampleReportsTokensPerSecondWithAndWithoutTheKvCache() throws IOException {
        Path file = dir.resolve("sample.json");
        CommandRun run = CommandRun.of("bench", "sample", "--batch", "2", "--new-tokens", "4", "--rounds", "1",
                "--json", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("with_kv_cache.tokens_per_s", "without_kv_cache.tokens_per_s",
                "kv_cache_speedup");
        JsonNode report = JSON.readTree(file.toFile());
        assertThat(report.path("bench").asText()).isEqualTo("sample");
        assertThat(report.path("machine").path("processors").asInt()).isPositive();
        // Every prompt generates at most --new-tokens tokens, the same prompts in both modes.
        assertThat(report.path("with_kv_cache").path("tokens").asLong()).isBetween(2L, 8L)
                .isEqualTo(report.path("without_kv_cache").path("tokens").asLong());
        assertThat(report.path("with_kv_cache").path("tokens_per_s").asDouble()).isPositive();
        assertThat(report.path("kv_cache_speedup").asDouble()).isPositive();
    }

    @Test
    void serdeReportsRecordsPerSecondForEachTypeAsked() throws IOException {
        Path file = dir.resolve("serde.json");
        CommandRun run = CommandRun.of("bench", "serde", "--types", "Prompt,ScoredRollout", "--forks", "0",
                "--warmup-iterations", "0", "--iterations", "1", "--iteration-ms", "100", "--json", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode perType = JSON.readTree(file.toFile()).path("records_per_s");
        assertThat(perType.fieldNames()).toIterable().containsExactly("Prompt", "ScoredRollout");
        assertThat(perType.path("ScoredRollout").path("score").asDouble()).isPositive();
        assertThat(perType.path("ScoredRollout").path("encoded_bytes").asInt())
                .isGreaterThan(perType.path("Prompt").path("encoded_bytes").asInt());
    }

    @Test
    void serdeNamesTheTypesItKnowsWhenGivenAnother() {
        CommandRun run = CommandRun.of("bench", "serde", "--types", "Promt");

        assertThat(run.exitCode()).as("usage error").isEqualTo(2);
        assertThat(run.err()).contains("unknown message type 'Promt'", "Prompt, Rollout, ScoredRollout");
    }

    @Test
    void pipelineTrainsTheSameStepsAndExamplesOnBothSidesAndReportsTheirRatio() throws IOException {
        Path file = dir.resolve("pipeline.json");
        CommandRun run = CommandRun.of("bench", "pipeline", "--batch-size", "4", "--steps", "4", "--group-size", "2",
                "--max-new-tokens", "8", "--rounds", "1", "--json", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("(a) in memory", "(b) through Kafka", "ratio_kafka_to_in_memory");
        JsonNode report = JSON.readTree(file.toFile());
        for (String side : new String[] {"in_memory", "kafka"}) {
            // GRPO takes 2 optimizer steps per batch: 4 steps are 2 batches of 4 rollouts.
            assertThat(report.path(side).path("steps").asLong()).as(side).isEqualTo(4);
            assertThat(report.path(side).path("examples").asLong()).as(side).isEqualTo(8);
            assertThat(report.path(side).path("examples_per_s").asDouble()).as(side).isPositive();
            // Training is part of the wall time, and the rest (reading, decoding, waiting) is never negative.
            assertThat(report.path(side).path("train_seconds").asDouble()).as(side).isPositive()
                    .isLessThanOrEqualTo(report.path(side).path("seconds").asDouble());
            assertThat(report.path(side).path("other_seconds").asDouble()).as(side).isGreaterThanOrEqualTo(0);
        }
        assertThat(report.path("settings").path("records").asInt()).isEqualTo(8);
        assertThat(report.path("ratio_kafka_to_in_memory").asDouble()).isPositive();
    }

    @Test
    void swapReportsPublishToSwapPercentilesOverEveryVersion() throws IOException {
        Path file = dir.resolve("swap.json");
        CommandRun run = CommandRun.of("bench", "swap", "--versions", "2", "--prompt-rate", "10", "--gap-ms", "0",
                "--samples-per-prompt", "2", "--max-new-tokens", "8", "--json", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode report = JSON.readTree(file.toFile());
        JsonNode publishToSwap = report.path("publish_to_swap_ms");
        assertThat(publishToSwap.path("count").asInt()).isEqualTo(2);
        assertThat(publishToSwap.path("p50").asDouble()).isPositive()
                .isLessThanOrEqualTo(publishToSwap.path("p95").asDouble());
        // The generator's own part starts when it reads the record, after the publish.
        assertThat(report.path("read_to_swap_ms").path("max").asDouble())
                .isLessThanOrEqualTo(publishToSwap.path("max").asDouble());
    }
}
