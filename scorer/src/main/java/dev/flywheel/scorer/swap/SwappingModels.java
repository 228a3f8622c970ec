package dev.flywheel.scorer.swap;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.model.ReferenceModel;
import dev.flywheel.core.model.RewardModel;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.scorer.metrics.ScorerMetrics;
import dev.flywheel.scorer.scoring.ModelSource;
import dev.flywheel.scorer.scoring.ModelsInUse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The reward model and reference the scorer uses, each in a {@link ModelSlot} following its model name on the
 * policy-version topic ({@code reward-model}, {@code reference}), and β from the newest {@code policy} version.
 *
 * <p>Both models load on one background thread; the stream thread swaps them in via {@link #forNextBatch()}.
 */
public final class SwappingModels implements ModelSource, AutoCloseable {
    /** Model name of reward-model versions on the policy-version topic. */
    public static final String REWARD_MODEL = "reward-model";
    /** Model name of reference versions. */
    public static final String REFERENCE = "reference";
    /** Model name of policy versions, whose β the scorer adopts. */
    public static final String POLICY = "policy";

    private final ModelSlot<RewardModel> rewardModel;
    private final ModelSlot<ReferenceModel> reference;
    private final ExecutorService loading;
    private final ScorerMetrics metrics;
    private volatile double beta;
    private long betaFromVersion = -1;
    private ModelsInUse inUse;

    private SwappingModels(ModelSlot<RewardModel> rewardModel, ModelSlot<ReferenceModel> reference,
                           ExecutorService loading, ScorerMetrics metrics, double beta) {
        this.rewardModel = rewardModel;
        this.reference = reference;
        this.loading = loading;
        this.metrics = metrics;
        this.beta = beta;
        this.inUse = snapshot();
        metrics.versionsInUse(rewardModel.current().version(), reference.current().version());
    }

    /**
     * Loads the newest good version of each model in {@code history} (the store's refs {@code reward-model} and
     * {@code reference} as version 0 when none was published or none loads), and β from the newest policy version
     * ({@code defaultBeta} when there is none).
     */
    public static SwappingModels startingFrom(List<PolicyVersion> history, ModelStore store, Device device,
                                              double defaultBeta, ScorerMetrics metrics) {
        ExecutorService loading = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fw-scorer-loader");
            thread.setDaemon(true);
            return thread;
        });
        CheckpointLoader<RewardModel> rmLoader = new CheckpointLoader<>(store,
                checkpoint -> RewardModel.wrapping(checkpoint.toModel(device)));
        CheckpointLoader<ReferenceModel> refLoader = new CheckpointLoader<>(store,
                checkpoint -> ReferenceModel.wrapping(checkpoint.toModel(device)));
        ModelSlot<RewardModel> rm = startSlot(REWARD_MODEL, Bootstrap.REWARD_MODEL_REF, history, rmLoader, loading, metrics);
        ModelSlot<ReferenceModel> ref = startSlot(REFERENCE, Bootstrap.REFERENCE_REF, history, refLoader, loading, metrics);
        SwappingModels models = new SwappingModels(rm, ref, loading, metrics, defaultBeta);
        history.forEach(models::adoptBeta);
        models.inUse = models.snapshot();
        return models;
    }

    private static <M extends AutoCloseable> ModelSlot<M> startSlot(String name, String ref, List<PolicyVersion> history,
            CheckpointLoader<M> loader, ExecutorService loading, ScorerMetrics metrics) {
        ModelSlot<M> slot = new ModelSlot<>(name, loader.loadRef(ref), loader, loading, metrics::versionRejected);
        List<PolicyVersion> newestFirst = new ArrayList<>(history.stream().filter(v -> name.equals(v.getModel())).toList());
        newestFirst.sort(Comparator.comparingLong(PolicyVersion::getVersion).reversed());
        for (PolicyVersion version : newestFirst) {
            try {
                slot.loadNow(version);
                return slot;
            } catch (RejectedVersionException e) {
                metrics.versionRejected(name, e.reason());
            }
        }
        return slot;
    }

    /** A version read from the topic: a model version to load, or a policy version whose β to adopt. */
    public void observe(PolicyVersion version) {
        switch (version.getModel()) {
            case REWARD_MODEL -> rewardModel.observe(version);
            case REFERENCE -> reference.observe(version);
            case POLICY -> adoptBeta(version);
            default -> { }
        }
    }

    private synchronized void adoptBeta(PolicyVersion version) {
        if (POLICY.equals(version.getModel()) && version.getVersion() > betaFromVersion
                && Double.isFinite(version.getBeta()) && version.getBeta() >= 0) {
            betaFromVersion = version.getVersion();
            beta = version.getBeta();
        }
    }

    @Override
    public ModelsInUse current() {
        return inUse;
    }

    @Override
    public ModelsInUse forNextBatch() {
        boolean swappedRm = rewardModel.swapIfPending();
        boolean swappedRef = reference.swapIfPending();
        if (swappedRm) {
            metrics.swapped(REWARD_MODEL);
        }
        if (swappedRef) {
            metrics.swapped(REFERENCE);
        }
        if (swappedRm || swappedRef || inUse.beta() != beta) {
            inUse = snapshot();
            metrics.versionsInUse(rewardModel.current().version(), reference.current().version());
        }
        return inUse;
    }

    private ModelsInUse snapshot() {
        VersionedModel<RewardModel> rm = rewardModel.current();
        VersionedModel<ReferenceModel> ref = reference.current();
        return new ModelsInUse(rm.model(), rm.version(), ref.model(), ref.version(), beta);
    }

    /** Stops loading and releases every model; call after the stream thread has stopped. */
    @Override
    public void close() {
        loading.shutdownNow();
        try {
            loading.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rewardModel.close();
        reference.close();
    }
}
