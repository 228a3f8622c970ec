package dev.flywheel.learner.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.Checkpoint;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.learner.ledger.LedgerSnapshot;
import dev.flywheel.learner.train.TrainerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes and reads a learner's checkpoint atomically: tensors (weights and Adam moments) go to the content-addressed
 * model store first, then a small JSON file naming that blob replaces the previous one with an atomic rename, so a
 * crash at any instant leaves either the old checkpoint or the new one, never a mix.
 */
public final class CheckpointStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelStore store;
    private final Path file;

    private CheckpointStore(ModelStore store, Path file) {
        this.store = store;
        this.file = file;
    }

    /** The checkpoint named {@code name} in {@code store} (file {@code learner/<name>.json}). */
    public static CheckpointStore in(ModelStore store, String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--checkpoint-name '" + name + "' may only hold letters, digits, "
                    + "'.', '_' and '-'");
        }
        return new CheckpointStore(store, store.directory().resolve("learner").resolve(name + ".json"));
    }

    /** Where the checkpoint file lives. */
    public Path file() {
        return file;
    }

    /** Saves the trainer's tensors and the state (whose {@code trainerBlob} is filled in here); returns the state. */
    public LearnerState save(TransformerModel model, TrainerState trainer, LearnerState state) {
        Checkpoint blob = new Checkpoint(model.config(), model.tokenizer().toText(), trainer.weights(),
                Optional.of(trainer.optimizer()), new TreeMap<>())
                .withMetadata("learner.model", state.model())
                .withMetadata("learner.steps", Long.toString(state.steps()));
        String sha = store.save(blob).sha256();
        LearnerState saved = new LearnerState(state.model(), state.algorithm(), state.version(), state.steps(),
                state.batches(), sha, trainer.beta(), state.ledger(), state.lastPublished(), state.baseline());
        writeAtomically(toJson(saved));
        return saved;
    }

    /** The newest checkpoint, if one was written. */
    public Optional<LearnerState> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromJson(JSON.readTree(Files.readString(file))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read learner checkpoint " + file + ": " + e.getMessage()
                    + "; move it away to start from the published versions", e);
        }
    }

    /** The tensors of a saved state: weights and optimizer moments. */
    public TrainerState tensors(LearnerState state) {
        Checkpoint blob = store.load(state.trainerBlob());
        return new TrainerState(blob.parameters(), blob.optimizer().orElseThrow(() -> new IllegalStateException(
                "checkpoint blob " + state.trainerBlob() + " has no optimizer state")), state.beta());
    }

    private void writeAtomically(String json) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write learner checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static String toJson(LearnerState s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        root.put("model", s.model());
        root.put("algorithm", s.algorithm());
        root.put("version", s.version());
        root.put("steps", s.steps());
        root.put("batches", s.batches());
        root.put("trainerBlob", s.trainerBlob());
        root.put("beta", s.beta());
        ArrayNode ledger = root.putArray("ledger");
        s.ledger().partitions().forEach(p -> {
            ObjectNode n = ledger.addObject();
            n.put("topic", p.topic());
            n.put("partition", p.partition());
            n.put("watermark", p.watermark());
            ArrayNode above = n.putArray("doneAbove");
            p.doneAbove().forEach(above::add);
        });
        s.lastPublished().ifPresent(v -> root.put("lastPublished", v));
        s.baseline().ifPresent(b -> {
            ObjectNode n = root.putObject("baseline");
            n.put("reward", b.reward());
            n.put("kl", b.kl());
            n.put("length", b.length());
        });
        return root.toPrettyString();
    }

    private static LearnerState fromJson(JsonNode root) {
        if (root.path("format").asInt() != 1) {
            throw new IllegalStateException("unknown learner checkpoint format " + root.path("format"));
        }
        List<LedgerSnapshot.PartitionState> parts = new ArrayList<>();
        root.path("ledger").forEach(n -> {
            List<Long> above = new ArrayList<>();
            n.path("doneAbove").forEach(o -> above.add(o.asLong()));
            parts.add(new LedgerSnapshot.PartitionState(n.path("topic").asText(), n.path("partition").asInt(),
                    n.path("watermark").asLong(), above));
        });
        Optional<String> last = root.hasNonNull("lastPublished")
                ? Optional.of(root.get("lastPublished").asText()) : Optional.empty();
        Optional<LearnerState.IntervalBaseline> baseline = root.hasNonNull("baseline")
                ? Optional.of(new LearnerState.IntervalBaseline(root.get("baseline").path("reward").asDouble(),
                        root.get("baseline").path("kl").asDouble(), root.get("baseline").path("length").asDouble()))
                : Optional.empty();
        return new LearnerState(root.path("model").asText(), root.path("algorithm").asText(),
                root.path("version").asLong(), root.path("steps").asLong(), root.path("batches").asLong(),
                root.path("trainerBlob").asText(), root.path("beta").asDouble(), new LedgerSnapshot(parts), last,
                baseline);
    }
}
