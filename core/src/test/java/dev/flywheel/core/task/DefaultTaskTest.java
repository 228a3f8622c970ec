package dev.flywheel.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DefaultTaskTest {

    private final DefaultTask task = DefaultTask.withSeed(42);

    @Test
    void namePoolsAreDisjointAndHaveTheConfiguredSizes() {
        FactBase facts = task.facts();
        TaskConfig c = task.config();
        assertThat(facts.known()).hasSize(c.knownFacts());
        assertThat(facts.sftUnknown()).hasSize(c.sftUnknownFacts());
        assertThat(facts.outOfKnowledge()).hasSize(c.outOfKnowledgeFacts());
        assertThat(facts.heldOut()).hasSize(c.heldOutFacts());

        Set<String> seen = new HashSet<>();
        for (List<Fact> part : List.of(facts.known(), facts.sftUnknown(), facts.outOfKnowledge(), facts.heldOut())) {
            for (Fact f : part) {
                assertThat(seen.add(f.name())).as("name %s appears in two pools", f.name()).isTrue();
                assertThat(f.code()).matches("\\d{4}");
            }
        }
        assertThat(facts.size()).isEqualTo(seen.size());
    }

    @Test
    void sameSeedGivesTheSameFactBaseAndOtherSeedsDiffer() {
        Function<DefaultTask, Map<String, String>> codes = t -> t.facts().pool(Pool.KNOWN).stream()
                .collect(Collectors.toMap(Fact::name, Fact::code));
        assertThat(codes.apply(DefaultTask.withSeed(42))).isEqualTo(codes.apply(task));
        assertThat(DefaultTask.withSeed(42).pretrainingCorpus()).isEqualTo(task.pretrainingCorpus());
        assertThat(DefaultTask.withSeed(42).demonstrations()).isEqualTo(task.demonstrations());
        assertThat(codes.apply(DefaultTask.withSeed(43))).isNotEqualTo(codes.apply(task));
    }

    @Test
    void preTrainingCorpusMentionsOnlyKnownNames() {
        String corpus = String.join("\n", task.pretrainingCorpus());
        task.facts().known().forEach(f -> assertThat(corpus).contains(f.name() + " is " + f.code()));
        for (Pool unseen : List.of(Pool.SFT_UNKNOWN, Pool.OUT_OF_KNOWLEDGE)) {
            task.facts().pool(unseen).forEach(f -> assertThat(corpus).doesNotContain(f.name()));
        }
        assertThat(corpus).contains("7+8=15");
    }

    @Test
    void demonstrationsAnswerEverySftQuestionTruthfullyExceptAFewRefusalsOnUnknownNames() {
        List<Demonstration> demos = task.demonstrations();
        Set<String> trainingNames = new HashSet<>();
        for (Demonstration d : demos) {
            TaskFormat.askedName(d.prompt()).ifPresent(trainingNames::add);
            if (d.response().equals(TaskFormat.refusalResponse())) {
                assertThat(d.question().pool()).isEqualTo(Pool.SFT_UNKNOWN);
            } else {
                assertThat(Judge.verdict(d.question(), d.response())).isEqualTo(Verdict.RIGHT);
            }
        }
        task.facts().pool(Pool.OUT_OF_KNOWLEDGE).forEach(f -> assertThat(trainingNames).doesNotContain(f.name()));
        assertThat(demos).hasSize(task.config().knownFacts() + task.config().sftUnknownFacts() + 100);
        assertThat(task.demonstrations()).isEqualTo(demos);
    }

    @Test
    void refusalsAreDrawnAfreshEachEpochSoEveryUnknownNameIsSometimesRefusedAtTheConfiguredRate() {
        var random = new java.util.SplittableRandom(3);
        Map<String, Integer> refusalsByName = new java.util.HashMap<>();
        int epochs = 200;
        for (int e = 0; e < epochs; e++) {
            for (Demonstration d : task.demonstrations(random)) {
                if (d.response().equals(TaskFormat.refusalResponse())) {
                    refusalsByName.merge(TaskFormat.askedName(d.prompt()).orElseThrow(), 1, Integer::sum);
                }
            }
        }
        int total = refusalsByName.values().stream().mapToInt(Integer::intValue).sum();
        double rate = total / (double) (epochs * task.config().sftUnknownFacts());
        assertThat(rate).isCloseTo(task.config().refusalFraction(), within(0.01));
        assertThat(refusalsByName.keySet()).hasSize(task.config().sftUnknownFacts());
    }

    @Test
    void everyExampleFitsTheSixtyFourCharacterContextWithBosAndEos() {
        int longest = 0;
        for (Demonstration d : task.demonstrations()) {
            longest = Math.max(longest, d.prompt().length() + TaskFormat.refusalResponse().length());
        }
        for (String doc : task.pretrainingCorpus()) {
            longest = Math.max(longest, doc.length());
        }
        assertThat(longest + 2).isLessThanOrEqualTo(64);
    }

    @Test
    void evaluationSetsSeparateInKnowledgeFromHeldOutNames() {
        EvaluationSet in = task.inKnowledgeEvaluation();
        EvaluationSet out = task.outOfKnowledgeEvaluation();
        assertThat(in.questions()).allMatch(Question::inKnowledge);
        assertThat(in.size()).isEqualTo(task.config().knownFacts() + 100);
        assertThat(out.questions()).noneMatch(Question::inKnowledge);
        Set<String> heldOut = task.facts().heldOut().stream().map(Fact::name).collect(Collectors.toSet());
        assertThat(out.questions()).allMatch(q -> heldOut.contains(TaskFormat.askedName(q.prompt()).orElseThrow()));
    }

    @Test
    void trafficFollowsTheMixAndNeverAsksAboutHeldOutNames() {
        QuestionSource users = task.questionSource(TrafficMix.DEFAULT, 9);
        List<Question> traffic = users.take(20_000);
        Set<String> heldOut = task.facts().heldOut().stream().map(Fact::name).collect(Collectors.toSet());
        long sums = traffic.stream().filter(q -> q.kind() == QuestionKind.SUM).count();
        long ook = traffic.stream().filter(q -> q.pool() == Pool.OUT_OF_KNOWLEDGE).count();
        assertThat(sums / 20_000.0).isCloseTo(0.2, within(0.015));
        assertThat(ook / 20_000.0).isCloseTo(0.4, within(0.015));
        assertThat(traffic).noneMatch(q -> TaskFormat.askedName(q.prompt()).map(heldOut::contains).orElse(false));
        assertThat(task.questionSource(TrafficMix.DEFAULT, 9).take(100)).isEqualTo(traffic.subList(0, 100));
        traffic.forEach(q -> assertThat(task.judge().question(q.prompt())).isEqualTo(q));
    }

    @Test
    void wrongAnswersAreNeverRight() {
        var random = new java.util.SplittableRandom(1);
        for (Question q : task.inKnowledgeEvaluation().questions()) {
            for (int i = 0; i < 20; i++) {
                String wrong = task.wrongAnswer(q, random);
                assertThat(Judge.verdict(q, TaskFormat.response(wrong))).isEqualTo(Verdict.WRONG);
                if (q.kind() == QuestionKind.FACT) {
                    assertThat(wrong).matches("\\d{4}");
                } else {
                    assertThat(Integer.parseInt(wrong)).isBetween(0, 18);
                }
            }
        }
    }
}
