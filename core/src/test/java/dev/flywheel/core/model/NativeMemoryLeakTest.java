package dev.flywheel.core.model;

import ai.djl.ndarray.NDManager;
import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NativeMemoryLeakTest {

    @Test
    void twoThousandSampleAndLogProbIterationsLeaveNoLiveArrays() {
        try (TransformerModel m = TinyModels.tiny(17); ReferenceModel ref = ReferenceModel.frozenCopyOf(m)) {
            List<int[]> prompts = TinyModels.prompts("1+1=", "23+5=", "9");
            // Warm up once so lazily created engine-wide arrays exist before counting.
            roundTrip(m, ref, prompts, 0);
            int modelBefore = m.liveArrayCount();
            int refBefore = ref.liveArrayCount();
            int engineBefore = engineWideArrays();

            for (int i = 1; i <= 2000; i++) {
                roundTrip(m, ref, prompts, i);
            }

            assertThat(m.liveArrayCount()).isEqualTo(modelBefore);
            assertThat(ref.liveArrayCount()).isEqualTo(refBefore);
            assertThat(engineWideArrays()).isEqualTo(engineBefore);
        }
    }

    @Test
    void leakCountSeesArraysLeftOpenInAScopeOrOnTheModel() {
        try (TransformerModel m = TinyModels.tiny(17)) {
            int before = m.liveArrayCount();
            int engineBefore = engineWideArrays();
            NDManager scope = m.newScope();
            scope.create(new float[] {1f, 2f});
            m.parameters().get("lm.bias").getArray().add(scope.create(1f));
            assertThat(m.liveArrayCount()).isEqualTo(before + 3);
            assertThat(engineWideArrays()).isEqualTo(engineBefore + 3);
            scope.close();
            assertThat(m.liveArrayCount()).isEqualTo(before + 1);
        }
    }

    /** Arrays alive anywhere in the PyTorch engine: the system manager is every base manager's parent. */
    private static int engineWideArrays() {
        try (NDManager probe = NDManager.newBaseManager("PyTorch")) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    private static void roundTrip(TransformerModel m, ReferenceModel ref, List<int[]> prompts, long seed) {
        List<Sample> samples = m.sample(prompts, new SamplingParams(1f, 10, 0.9f, 6, seed));
        List<int[]> responses = samples.stream().map(Sample::tokens).toList();
        float[][] lp = m.logProbs(prompts, responses, 1f);
        float[][] refLp = ref.logProbs(prompts, responses, 1f);
        float[][] values = m.values(prompts, responses);
        assertThat(lp).hasSameDimensionsAs(refLp).hasSameDimensionsAs(values);
    }
}
