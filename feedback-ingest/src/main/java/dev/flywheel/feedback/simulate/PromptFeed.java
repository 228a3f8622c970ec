package dev.flywheel.feedback.simulate;

import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.QuestionSource;
import dev.flywheel.core.task.TaskConfig;
import dev.flywheel.schemas.Prompt;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The prompts of a run: the i-th prompt is the i-th question of the task's question source, with the facts the
 * judge needs in its metadata ({@code task.kind}, {@code task.knowledge}, {@code task.answer}, {@code sim.user}).
 * One thread draws prompts; any thread may read {@link #count()}.
 */
public final class PromptFeed {
    private static final int USERS = 100;
    private final String runId;
    private final QuestionSource questions;
    private volatile long next;

    /** The feed of a run. */
    public PromptFeed(SimulationSettings settings) {
        this.runId = settings.runId();
        this.questions = DefaultTask.of(TaskConfig.defaults(settings.taskSeed())).questionSource(settings.mix(), settings.seed());
    }

    /** The id prefix shared by every prompt of the run. */
    public static String promptPrefix(String runId) {
        return runId + "-p";
    }

    /** The next prompt, stamped {@code now}. */
    public Prompt next(Instant now) {
        Question q = questions.next();
        long i = next++;
        return Prompt.newBuilder().setId(promptPrefix(runId) + i).setTs(now).setText(q.prompt())
                .setMetadata(Map.of("task.kind", q.kind().name().toLowerCase(Locale.ROOT),
                        "task.knowledge", q.inKnowledge() ? "in" : "out", "task.answer", q.answer(),
                        "sim.user", "user-" + (i % USERS)))
                .build();
    }

    /** How many prompts were made. */
    public long count() {
        return next;
    }
}
