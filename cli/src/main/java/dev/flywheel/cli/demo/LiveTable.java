package dev.flywheel.cli.demo;

import dev.flywheel.monitor.dashboard.DashboardSnapshot;
import dev.flywheel.monitor.dashboard.LagView;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The demo's terminal output: start-up stages, the dashboard URL, then one row per published policy version with its
 * reward, KL, right / refuse / wrong rates on in- and out-of-knowledge questions, throughput and each service's lag.
 */
final class LiveTable implements DemoEvents {
    private static final String HEADER = String.format(Locale.ROOT,
            "%5s %6s %7s %6s | %-20s | %-20s | %10s | %s", "ver", "step", "reward", "KL",
            "in  right/refuse/wrong", "out right/refuse/wrong", "rollouts/s", "lag (records): ");

    private final PrintWriter out;
    private final List<String> groups;
    private final List<String> groupLabels;

    /** A table on {@code out} showing the lag of {@code groups}, headed by {@code groupLabels}. */
    LiveTable(PrintWriter out, List<String> groups, List<String> groupLabels) {
        this.out = out;
        this.groups = List.copyOf(groups);
        this.groupLabels = List.copyOf(groupLabels);
    }

    @Override
    public synchronized void stage(String what) {
        out.println("demo: " + what + " …");
        out.flush();
    }

    @Override
    public synchronized void dashboard(URI uri) {
        out.println("demo: dashboard at " + uri);
        out.flush();
    }

    @Override
    public synchronized void resumed(long version) {
        out.println("demo: resumed at v" + version + " from the learner's checkpoint in this data directory");
        out.flush();
    }

    @Override
    public synchronized void graded(VersionRates sft) {
        out.println(HEADER + String.join(" ", groupLabels));
        out.println(row(sft, "(SFT)", ""));
        out.flush();
    }

    @Override
    public synchronized void published(VersionRates rates, DashboardSnapshot lag, double rolloutsPerS) {
        out.println(row(rates, String.format(Locale.ROOT, "%10.1f", rolloutsPerS), lags(lag)));
        out.flush();
    }

    /** A line that stays on screen between rows. */
    synchronized void note(String line) {
        out.println(line);
        out.flush();
    }

    private String lags(DashboardSnapshot snapshot) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            String value = snapshot.lagOf(groups.get(i)).map(LagView.Group::lagRecords).map(String::valueOf).orElse("-");
            s.append(String.format(Locale.ROOT, "%" + groupLabels.get(i).length() + "s ", value));
        }
        return s.toString().stripTrailing();
    }

    static String row(VersionRates r, String rate, String lags) {
        return String.format(Locale.ROOT, "%5s %6d %7s %6s | %-20s | %-20s | %10s | %s", "v" + r.version(), r.step(),
                number(r.reward(), "%.3f"), number(r.kl(), "%.2f"), rates(r.in()), rates(r.out()), rate, lags);
    }

    private static String rates(VersionRates.Rates r) {
        return percent(r.right()) + " " + percent(r.refuse()) + " " + percent(r.wrong());
    }

    static String percent(Double d) {
        return d == null ? "     -" : String.format(Locale.ROOT, "%5.1f%%", 100 * d);
    }

    static String number(Double d, String format) {
        return d == null || !Double.isFinite(d) ? "-" : String.format(Locale.ROOT, format, d);
    }
}
