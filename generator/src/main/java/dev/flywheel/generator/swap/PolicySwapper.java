package dev.flywheel.generator.swap;

import dev.flywheel.generator.metrics.GeneratorMetrics;
import dev.flywheel.schemas.PolicyVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the policy the generator samples with and the hand-over to newer versions.
 *
 * <p>Newer versions are loaded one at a time on a dedicated loading thread, always the newest one known (an
 * intermediate version published while another loads is skipped), and parked as <em>pending</em>. The sampling
 * thread calls {@link #swapIfPending()} between batches, so a batch never mixes versions and the old model is closed
 * only once nothing samples from it. A version that fails to verify or load is rejected for good; it also stops
 * counting towards {@link #staleness()}, so a bad publish cannot stall the generator.
 */
public final class PolicySwapper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicySwapper.class);

    private final PolicyLoader loader;
    private final GeneratorMetrics metrics;
    private final SwapEvents events;
    private final ExecutorService loading;
    private final AtomicReference<LoadedPolicy> pending = new AtomicReference<>();
    private final TreeSet<Long> knownGood = new TreeSet<>();
    private volatile LoadedPolicy current;
    private PolicyVersion wanted;
    private long wantedSince;
    private long highestSeen;
    private long highestLoaded;

    private PolicySwapper(PolicyLoader loader, GeneratorMetrics metrics, SwapEvents events, LoadedPolicy initial) {
        this.loader = loader;
        this.metrics = metrics;
        this.events = events;
        this.current = initial;
        this.highestSeen = initial.version();
        this.highestLoaded = initial.version();
        this.loading = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fw-generator-loader");
            thread.setDaemon(true);
            return thread;
        });
        metrics.versionInUse(initial.version());
    }

    /**
     * Starts from the newest version of {@code history} that loads (rejecting newer ones that do not), or from the
     * store's {@code initialRef} as version 0 when none was published or none loads.
     */
    public static PolicySwapper startingFrom(List<PolicyVersion> history, PolicyLoader loader, String initialRef,
                                             GeneratorMetrics metrics, SwapEvents events) {
        List<PolicyVersion> newestFirst = new ArrayList<>(history);
        newestFirst.sort(Comparator.comparingLong(PolicyVersion::getVersion).reversed());
        long highestRejected = -1;
        for (PolicyVersion version : newestFirst) {
            try {
                LoadedPolicy loaded = loader.load(version, System.nanoTime());
                PolicySwapper swapper = new PolicySwapper(loader, metrics, events, loaded);
                swapper.highestSeen = Math.max(loaded.version(), highestRejected);
                return swapper;
            } catch (RejectedVersionException e) {
                highestRejected = Math.max(highestRejected, version.getVersion());
                reject(version.getVersion(), e, metrics, events);
            }
        }
        PolicySwapper swapper = new PolicySwapper(loader, metrics, events, loader.loadInitial(initialRef));
        swapper.highestSeen = Math.max(0, highestRejected);
        return swapper;
    }

    /** The version sampling uses now (read it on the sampling thread for a consistent batch). */
    public LoadedPolicy current() {
        return current;
    }

    /** A version read from the topic: loads it in the background when it is newer than anything seen. */
    public synchronized void observe(PolicyVersion version) {
        Objects.requireNonNull(version, "version");
        if (version.getVersion() <= highestSeen) {
            LOG.info("ignoring policy version {}: not newer than version {} already seen", version.getVersion(), highestSeen);
            return;
        }
        highestSeen = version.getVersion();
        knownGood.add(version.getVersion());
        wanted = version;
        wantedSince = System.nanoTime();
        updateStaleness();
        loading.execute(this::loadWanted);
    }

    private void loadWanted() {
        PolicyVersion version;
        long since;
        synchronized (this) {
            version = wanted;
            since = wantedSince;
            wanted = null;
        }
        if (version == null || version.getVersion() <= highestLoaded) {
            return;
        }
        try {
            LoadedPolicy loaded = loader.load(version, since);
            LOG.info("policy version {} verified (sha256 {}) and loaded; swapping in at the next batch",
                    loaded.version(), loaded.sha256());
            highestLoaded = loaded.version();
            LoadedPolicy unused = pending.getAndSet(loaded);
            if (unused != null) {
                unused.close();
            }
        } catch (RejectedVersionException e) {
            synchronized (this) {
                knownGood.remove(version.getVersion());
                updateStaleness();
            }
            reject(version.getVersion(), e, metrics, events);
        } catch (RuntimeException e) {
            synchronized (this) {
                knownGood.remove(version.getVersion());
                updateStaleness();
            }
            reject(version.getVersion(), new RejectedVersionException("unloadable", "policy version "
                    + version.getVersion() + " failed to load: " + e, e), metrics, events);
        }
    }

    /** Between batches, on the sampling thread: switches to the pending version if one is ready. */
    public void swapIfPending() {
        LoadedPolicy next = pending.getAndSet(null);
        if (next == null) {
            return;
        }
        LoadedPolicy previous = current;
        if (next.version() <= previous.version()) {
            next.close();
            return;
        }
        current = next;
        previous.close();
        Duration latency = Duration.ofNanos(System.nanoTime() - next.observedNanos());
        metrics.versionInUse(next.version());
        metrics.swapped(latency);
        synchronized (this) {
            updateStaleness();
        }
        LOG.info("swapped policy version {} -> {} ({} ms after the version was read)", previous.version(),
                next.version(), latency.toMillis());
        events.swapped(previous.version(), next.version(), latency);
    }

    /** How many versions the newest good published one is ahead of the one in use (0 when up to date). */
    public synchronized long staleness() {
        long newest = knownGood.isEmpty() ? current.version() : Math.max(knownGood.last(), current.version());
        return newest - current.version();
    }

    private void updateStaleness() {
        knownGood.headSet(current.version(), true).clear();
        metrics.staleness(knownGood.isEmpty() ? 0 : Math.max(0, knownGood.last() - current.version()));
    }

    private static void reject(long version, RejectedVersionException e, GeneratorMetrics metrics, SwapEvents events) {
        LOG.error("rejected policy version {} ({}): {}; sampling goes on with the version in use", version,
                e.reason(), e.getMessage());
        metrics.versionRejected(e.reason());
        events.versionRejected(version, e.reason(), e.getMessage());
    }

    /** Stops loading and releases every model this swapper holds; call after sampling has stopped. */
    @Override
    public void close() {
        loading.shutdownNow();
        try {
            if (!loading.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("policy loader still busy after 60 s; its model will be released when it finishes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LoadedPolicy unused = pending.getAndSet(null);
        if (unused != null) {
            unused.close();
        }
        current.close();
    }
}
