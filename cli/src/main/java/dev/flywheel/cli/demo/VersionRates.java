package dev.flywheel.cli.demo;

import dev.flywheel.schemas.PolicyVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One policy version as the demo compares them: its reward, KL to the reference, and right / refuse / wrong rates on
 * in-knowledge and out-of-knowledge questions (sampled at T=1 on the held-out sets).
 *
 * @param version its number
 * @param step    learner optimizer steps when it was taken
 * @param reward  mean reward (see the demo's report for how it is measured), or null when unknown
 * @param kl      mean KL to the reference, or null when unknown
 * @param in      rates on questions the model can know
 * @param out     rates on questions about names it has never seen
 */
public record VersionRates(long version, long step, Double reward, Double kl, Rates in, Rates out) {

    /** Right / refuse / wrong fractions in [0, 1]; null when the version was not graded. */
    public record Rates(Double right, Double refuse, Double wrong) {

        static Rates of(Map<String, Double> metrics, String prefix) {
            return new Rates(metrics.get(prefix + "right"), metrics.get(prefix + "refuse"), metrics.get(prefix + "wrong"));
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("right", right);
            m.put("refuse", refuse);
            m.put("wrong", wrong);
            return m;
        }
    }

    /** A published version, with the learner's own reward and KL at publish. */
    public static VersionRates of(PolicyVersion v) {
        Map<String, Double> m = v.getMetrics();
        return new VersionRates(v.getVersion(), v.getStep(), m.get("reward.mean"), m.get("kl.mean"),
                Rates.of(m, "eval.in."), Rates.of(m, "eval.out."));
    }

    /** A version graded here ({@code eval.in.…}, {@code eval.out.…} keys, as the learner grades). */
    public static VersionRates graded(long version, long step, Double reward, Double kl, Map<String, Double> eval) {
        return new VersionRates(version, step, reward, kl, Rates.of(eval, "eval.in."), Rates.of(eval, "eval.out."));
    }

    /** The same rates with another reward. */
    public VersionRates withReward(Double newReward) {
        return new VersionRates(version, step, newReward, kl, in, out);
    }

    /** {@code {"version","step","reward","kl","in":{…},"out":{…}}}. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("step", step);
        m.put("reward", reward);
        m.put("kl", kl);
        m.put("in", in.asMap());
        m.put("out", out.asMap());
        return m;
    }
}
