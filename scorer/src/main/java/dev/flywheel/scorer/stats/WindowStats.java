package dev.flywheel.scorer.stats;

import dev.flywheel.schemas.JudgeLabel;
import dev.flywheel.schemas.ScoredRollout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The observations of one window of one policy version: every RM score, sequence KL, response length and reward
 * (kept whole, so percentiles are exact), and the judge's verdict counts.
 *
 * @param rmScores        reward-model scores of the rollouts that had one
 * @param kls             sequence KL of each rollout
 * @param lengths         response length in tokens of each rollout
 * @param rewards         scalar reward of each rollout
 * @param right           judge verdicts RIGHT
 * @param refuse          judge verdicts REFUSE
 * @param wrong           judge verdicts WRONG
 */
public record WindowStats(double[] rmScores, double[] kls, double[] lengths, double[] rewards, long right, long refuse,
                          long wrong) {

    /** The statistics of one scored rollout. */
    public static WindowStats of(ScoredRollout scored) {
        double[] rm = scored.getRmScore() == null ? new double[0] : new double[] {scored.getRmScore()};
        JudgeLabel label = scored.getJudgeLabel();
        return new WindowStats(rm, new double[] {scored.getSequenceKl()},
                new double[] {scored.getRollout().getResponseTokenIds().size()}, new double[] {scored.getReward()},
                label == JudgeLabel.RIGHT ? 1 : 0, label == JudgeLabel.REFUSE ? 1 : 0, label == JudgeLabel.WRONG ? 1 : 0);
    }

    /** Both windows' observations together. */
    public WindowStats merge(WindowStats other) {
        return new WindowStats(concat(rmScores, other.rmScores), concat(kls, other.kls), concat(lengths, other.lengths),
                concat(rewards, other.rewards), right + other.right, refuse + other.refuse, wrong + other.wrong);
    }

    /** Number of rollouts. */
    public long count() {
        return kls.length;
    }

    /** Number of rollouts the judge labelled. */
    public long judged() {
        return right + refuse + wrong;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Store and repartition form: four length-prefixed double arrays, then the three verdict counts. */
    public static Serde<WindowStats> serde() {
        return Serdes.serdeFrom((topic, stats) -> stats == null ? null : encode(stats),
                (topic, bytes) -> bytes == null ? null : decode(bytes));
    }

    private static byte[] encode(WindowStats stats) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (double[] values : new double[][] {stats.rmScores, stats.kls, stats.lengths, stats.rewards}) {
                out.writeInt(values.length);
                for (double v : values) {
                    out.writeDouble(v);
                }
            }
            out.writeLong(stats.right);
            out.writeLong(stats.refuse);
            out.writeLong(stats.wrong);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static WindowStats decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            double[][] arrays = new double[4][];
            for (int a = 0; a < arrays.length; a++) {
                int n = in.readInt();
                if (n < 0 || n > bytes.length / Double.BYTES) {
                    throw new IllegalStateException("corrupt window statistics: array of " + n + " values");
                }
                arrays[a] = new double[n];
                for (int i = 0; i < n; i++) {
                    arrays[a][i] = in.readDouble();
                }
            }
            return new WindowStats(arrays[0], arrays[1], arrays[2], arrays[3], in.readLong(), in.readLong(), in.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt window statistics", e);
        }
    }
}
