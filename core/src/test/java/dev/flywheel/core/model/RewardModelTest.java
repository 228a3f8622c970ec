package dev.flywheel.core.model;

import ai.djl.ndarray.NDArray;
import dev.flywheel.core.optim.AdamW;
import dev.flywheel.core.optim.AdamWConfig;
import dev.flywheel.core.optim.LearningRateSchedule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RewardModelTest {

    @Test
    void startsFromTheSftTrunkWithAFreshHead() {
        ModelConfig noHead = ModelConfig.tiny(TinyModels.TOKENIZER.vocabSize()).withValueHead(false);
        try (TransformerModel sft = TransformerModel.create(noHead, TinyModels.TOKENIZER, 3, ai.djl.Device.cpu());
             RewardModel rm = RewardModel.initialisedFrom(sft, 99)) {
            var sftByName = sft.tensors().stream().collect(Collectors.toMap(NamedTensor::name, t -> t));
            for (NamedTensor t : rm.model().tensors()) {
                if (!t.name().startsWith("value.")) {
                    assertThat(t).isEqualTo(sftByName.get(t.name()));
                }
            }
            assertThat(rm.model().parameters().get("value.weight").requiresGradient()).isTrue();
            assertThat(rm.model().parameters().get("lm.weight").requiresGradient()).isFalse();
        }
    }

    @Test
    void bradleyTerryTrainingRanksHeldOutPairs() {
        try (TransformerModel sft = TinyModels.tiny(8); RewardModel rm = RewardModel.initialisedFrom(sft, 1)) {
            // Preference: an answer ending in '7' beats any other digit.
            List<int[]> prompts = new ArrayList<>();
            List<int[]> chosen = new ArrayList<>();
            List<int[]> rejected = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                if (d == 7) {
                    continue;
                }
                prompts.add(TinyModels.TOKENIZER.encodePrompt("pick" + d + "?"));
                chosen.add(TinyModels.TOKENIZER.encode(d + "7"));
                rejected.add(TinyModels.TOKENIZER.encode("7" + d));
            }
            try (AdamW opt = AdamW.over(rm.model(), AdamWConfig.defaults(), LearningRateSchedule.constant(3e-3f))) {
                for (int step = 0; step < 60; step++) {
                    opt.minimize(scope -> {
                        NDArray c = rm.scores(scope, rm.responseBatch(prompts.subList(0, 6), chosen.subList(0, 6)), true);
                        NDArray r = rm.scores(scope, rm.responseBatch(prompts.subList(0, 6), rejected.subList(0, 6)), true);
                        // −log σ(c − r) = log(1 + exp(−(c − r)))
                        return r.sub(c).exp().add(scope.create(1f)).log().mean();
                    });
                }
            }
            List<int[]> heldPrompts = prompts.subList(6, prompts.size());
            float[] c = rm.score(heldPrompts, chosen.subList(6, chosen.size()));
            float[] r = rm.score(heldPrompts, rejected.subList(6, rejected.size()));
            for (int i = 0; i < c.length; i++) {
                assertThat(c[i]).isGreaterThan(r[i]);
            }
        }
    }
}
