package dev.flywheel.core.bootstrap;

import dev.flywheel.core.model.Policy;
import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.task.EvaluationSet;
import dev.flywheel.core.task.Judge;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.Verdict;
import dev.flywheel.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/** Grades a policy's answers to an evaluation set with the exact judge, in batches. */
public final class PolicyGrader {

    /** Longest useful response: the refusal plus EOS, with room to spare for a malformed reply. */
    public static final int MAX_NEW_TOKENS = 16;

    private static final int CHUNK = 100;

    private PolicyGrader() {
    }

    /** Greedy decoding: always the most likely token. */
    public static SamplingParams greedy() {
        return SamplingParams.greedy(MAX_NEW_TOKENS);
    }

    /** Plain sampling at temperature 1 with a seed. */
    public static SamplingParams sampled(long seed) {
        return SamplingParams.of(MAX_NEW_TOKENS, seed);
    }

    /** Right / refuse / wrong rates of the policy's responses to the first {@code limit} questions (0 = all). */
    public static VerdictRates grade(Policy policy, EvaluationSet set, SamplingParams params, int limit) {
        return VerdictRates.of(verdicts(policy, questions(set, limit), params));
    }

    /** The judge's verdict on the policy's response to each question, in order. */
    public static List<Verdict> verdicts(Policy policy, List<Question> questions, SamplingParams params) {
        Tokenizer tokenizer = policy.tokenizer();
        List<Verdict> verdicts = new ArrayList<>(questions.size());
        for (int from = 0; from < questions.size(); from += CHUNK) {
            List<Question> chunk = questions.subList(from, Math.min(questions.size(), from + CHUNK));
            List<int[]> prompts = chunk.stream().map(q -> tokenizer.encodePrompt(q.prompt())).toList();
            // Each chunk gets its own seed so that chunking does not repeat one random stream.
            List<Sample> samples = policy.sample(prompts, params.withSeed(params.seed() + from));
            for (int i = 0; i < chunk.size(); i++) {
                verdicts.add(Judge.verdict(chunk.get(i), tokenizer.decode(samples.get(i).tokens())));
            }
        }
        return verdicts;
    }

    private static List<Question> questions(EvaluationSet set, int limit) {
        return limit == 0 || limit >= set.size() ? set.questions() : set.questions().subList(0, limit);
    }
}
