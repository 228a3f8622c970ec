package dev.flywheel.monitor.dashboard;

import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.PolicyVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the dashboard knows, fed by the fw.metrics feed (charted series and ALARM points), the policy-version feed,
 * and, pulled at each {@link #snapshot()}, the lag monitor's latest sample and the drift detectors' recent alarms.
 *
 * <p>Memory is bounded whatever the monitor's uptime: every series, the version list, the lag history and the alarm
 * list keep only their newest {@code historyPoints} entries. Feeds call it from their own threads.
 */
public final class DashboardState {

    /** Entries kept per history when none is configured: two hours of the scorer's 10 s windows. */
    public static final int DEFAULT_HISTORY = 720;

    private final int historyPoints;
    private final Supplier<LagView> lag;
    private final Supplier<List<AlarmView>> driftAlarms;
    private final Map<String, BoundedHistory<SeriesPoint>> series = new LinkedHashMap<>();
    private final Map<String, VersionView> versions;
    private final Map<String, AlarmView> alarms;
    private final BoundedHistory<LagSample> lagHistory;
    private long pointsRead;
    private long undecodablePoints;

    private DashboardState(int historyPoints, Supplier<LagView> lag, Supplier<List<AlarmView>> driftAlarms) {
        if (historyPoints < 2) {
            throw new IllegalArgumentException("the dashboard needs at least 2 history points per chart, got "
                    + historyPoints);
        }
        this.historyPoints = historyPoints;
        this.lag = lag;
        this.driftAlarms = driftAlarms;
        DashboardSeries.ALL.forEach(name -> series.put(name, new BoundedHistory<>(historyPoints)));
        this.versions = evictingMap(historyPoints);
        this.alarms = evictingMap(historyPoints);
        this.lagHistory = new BoundedHistory<>(historyPoints);
    }

    /** A state keeping {@code historyPoints} entries per history, pulling lag and drift alarms from the suppliers. */
    public static DashboardState pulling(int historyPoints, Supplier<LagView> lag, Supplier<List<AlarmView>> driftAlarms) {
        return new DashboardState(historyPoints, lag, driftAlarms);
    }

    /** A state fed by the metric and version feeds only: no lag monitor and no detectors of its own. */
    public static DashboardState withoutMonitors(int historyPoints) {
        return new DashboardState(historyPoints, LagView::empty, List::of);
    }

    /** Takes one point read from fw.metrics: charted series are kept, ALARM points join the alarm list. */
    public synchronized void accept(MetricPoint point) {
        pointsRead++;
        if (point.getKind() == MetricKind.ALARM) {
            remember(AlarmView.fromPoint(point));
            return;
        }
        BoundedHistory<SeriesPoint> history = series.get(point.getSeries());
        if (history != null && Double.isFinite(point.getValue())) {
            history.add(SeriesPoint.of(point));
        }
    }

    /** Counts a record of fw.metrics that could not be decoded. */
    public synchronized void undecodable() {
        undecodablePoints++;
    }

    /** Takes one published model version; a re-published version replaces the earlier record. */
    public synchronized void accept(PolicyVersion version) {
        String key = version.getModel() + "@" + version.getVersion();
        versions.remove(key);
        versions.put(key, VersionView.of(version));
    }

    /** Everything the page draws, now. */
    public DashboardSnapshot snapshot() {
        // Pulled outside the lock: the monitors have their own locks and may be slow to answer.
        LagView currentLag = lag.get();
        List<AlarmView> detected = driftAlarms.get();
        synchronized (this) {
            detected.forEach(this::remember);
            LagSample newest = lagHistory.newest();
            if (currentLag.at() > 0 && (newest == null || currentLag.at() > newest.at())) {
                lagHistory.add(new LagSample(currentLag.at(), currentLag.recordsByGroup()));
            }
            Map<String, List<SeriesPoint>> points = new LinkedHashMap<>();
            Map<String, SeriesPoint> latest = new LinkedHashMap<>();
            series.forEach((name, history) -> {
                List<SeriesPoint> list = history.toList();
                points.put(name, list);
                list.stream().max(NEWEST).ifPresent(point -> latest.put(name, point));
            });
            List<AlarmView> alarmList = new ArrayList<>(alarms.values());
            alarmList.sort(Comparator.comparingLong(AlarmView::at));
            return new DashboardSnapshot(System.currentTimeMillis(), points, latest, new ArrayList<>(versions.values()),
                    currentLag, lagHistory.toList(), alarmList, pointsRead, undecodablePoints);
        }
    }

    /** Metric points read from fw.metrics so far. */
    public synchronized long pointsRead() {
        return pointsRead;
    }

    /** Records of fw.metrics that could not be decoded so far. */
    public synchronized long undecodablePoints() {
        return undecodablePoints;
    }

    /** Model versions known (every model, within the history bound). */
    public synchronized int versionCount() {
        return versions.size();
    }

    /** Entries kept per history. */
    public int historyPoints() {
        return historyPoints;
    }

    private static final Comparator<SeriesPoint> NEWEST = Comparator.comparingLong(SeriesPoint::at)
            .thenComparing(point -> point.version() == null ? Long.MIN_VALUE : point.version());

    private void remember(AlarmView alarm) {
        alarms.putIfAbsent(alarm.id(), alarm);
    }

    private static <V> Map<String, V> evictingMap(int capacity) {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
