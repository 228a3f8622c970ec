package dev.flywheel.cli.lag;

import dev.flywheel.monitor.lag.GroupLag;
import dev.flywheel.monitor.lag.LagReport;
import dev.flywheel.monitor.lag.PartitionLag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A lag report as the table {@code kafka-consumer-groups --describe} prints, with LAG-SECONDS and STATUS added. */
final class LagTable {

    private static final List<String> HEADER = List.of("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET",
            "LOG-END-OFFSET", "LAG", "LAG-SECONDS", "CONSUMER-ID", "HOST", "STATUS");

    private LagTable() {
    }

    /** The table's lines, header first; a group without committed partitions gets one row of dashes. */
    static List<String> of(LagReport report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (GroupLag group : report.groups()) {
            if (group.partitions().isEmpty()) {
                rows.add(List.of(group.group(), "-", "-", "-", "-", "-", "-", "-", "-", group.status().name()));
            }
            for (PartitionLag p : group.partitions()) {
                rows.add(List.of(group.group(), p.topic(), Integer.toString(p.partition()),
                        Long.toString(p.committedOffset()), Long.toString(p.endOffset()), Long.toString(p.lagRecords()),
                        p.lagSecondsKnown() ? String.format(Locale.ROOT, "%.1f", p.lagSeconds()) : "-",
                        p.consumerId(), p.host(), group.status().name()));
            }
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (widths[i] + 1) + "s", row.get(i)));
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
