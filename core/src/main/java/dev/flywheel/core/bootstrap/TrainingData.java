package dev.flywheel.core.bootstrap;

import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.Demonstration;
import dev.flywheel.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Tokenises the task's pre-training corpus and SFT demonstrations into training examples. */
final class TrainingData {

    private TrainingData() {
    }

    /** Each corpus document as a whole sequence after BOS: the loss covers every token and the final EOS. */
    static List<TrainingExample> pretraining(DefaultTask task, Tokenizer tokenizer) {
        List<TrainingExample> out = new ArrayList<>();
        int[] bos = {tokenizer.bosId()};
        for (String doc : task.pretrainingCorpus()) {
            out.add(new TrainingExample(bos, StageTraining.withEos(tokenizer, doc)));
        }
        return out;
    }

    /** One epoch's demonstrations as prompt → response + EOS: the loss covers the response only. */
    static List<TrainingExample> sft(DefaultTask task, Tokenizer tokenizer, SplittableRandom random) {
        List<TrainingExample> out = new ArrayList<>();
        for (Demonstration d : task.demonstrations(random)) {
            out.add(new TrainingExample(tokenizer.encodePrompt(d.prompt()), StageTraining.withEos(tokenizer, d.response())));
        }
        return out;
    }
}
