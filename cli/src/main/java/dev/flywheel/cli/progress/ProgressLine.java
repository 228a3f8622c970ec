package dev.flywheel.cli.progress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One self-rewriting status line for a long-running command: what it is doing, how far, the rate and the ETA.
 *
 * <p>It draws only when the command runs on a terminal (so logs and pipes stay clean), at most four times a second,
 * and always prints a final summary line with {@link #finish(String)}.
 */
public final class ProgressLine {

    private static final long REDRAW_NANOS = Duration.ofMillis(250).toNanos();

    private final PrintWriter out;
    private final boolean interactive;
    private final LongSupplier clock;
    private final String unit;
    private final long started;
    private String task;
    private long total;
    private long lastDrawn;
    private int lastWidth;

    private ProgressLine(PrintWriter out, boolean interactive, LongSupplier clock, String task, long total, String unit) {
        this.out = out;
        this.interactive = interactive;
        this.clock = clock;
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.started = clock.getAsLong();
        this.lastDrawn = started - REDRAW_NANOS;
    }

    /** A progress line on {@code out}, drawn only when this JVM has a console; {@code total} ≤ 0 when unknown. */
    public static ProgressLine onTerminal(PrintWriter out, String task, long total, String unit) {
        return new ProgressLine(out, System.console() != null, System::nanoTime, task, total, unit);
    }

    /** A progress line that always draws, with an explicit clock: for tests and for forced output. */
    public static ProgressLine always(PrintWriter out, LongSupplier nanoClock, String task, long total, String unit) {
        return new ProgressLine(out, true, nanoClock, task, total, unit);
    }

    /** Switches to another stage of work, e.g. from "pre-train" to "SFT". */
    public void stage(String newTask, long newTotal) {
        this.task = newTask;
        this.total = newTotal;
    }

    /** Reports {@code done} units so far (and an optional detail such as a loss), redrawing when due. */
    public void update(long done, String detail) {
        if (due()) {
            redraw(render(done, detail, clock.getAsLong()));
        }
    }

    /** Shows a line the caller rendered itself (e.g. a trainer's own rate and ETA), redrawing when due. */
    public void show(String line) {
        if (due()) {
            redraw(line);
        }
    }

    private boolean due() {
        long now = clock.getAsLong();
        if (!interactive || now - lastDrawn < REDRAW_NANOS) {
            return false;
        }
        lastDrawn = now;
        return true;
    }

    private void redraw(String line) {
        out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        out.flush();
        lastWidth = line.length();
    }

    /** Ends the line with a summary that stays on screen (printed whether or not a terminal is attached). */
    public void finish(String summary) {
        if (interactive && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
        }
        out.println(summary);
        out.flush();
        lastWidth = 0;
    }

    String render(long done, String detail, long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        double rate = done / seconds;
        StringBuilder line = new StringBuilder(task).append(": ").append(done);
        if (total > 0) {
            line.append('/').append(total).append(String.format(" (%.0f%%)", 100.0 * done / total));
        }
        line.append(' ').append(unit).append(String.format(", %.1f %s/s", rate, unit));
        if (total > 0 && rate > 0 && done < total) {
            line.append(", ETA ").append(clockTime((long) ((total - done) / rate)));
        }
        line.append(", elapsed ").append(clockTime((long) seconds));
        if (detail != null && !detail.isEmpty()) {
            line.append(", ").append(detail);
        }
        return line.toString();
    }

    private static String clockTime(long seconds) {
        return seconds >= 3600
                ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
