package dev.flywheel.feedback.aggregate;

import dev.flywheel.schemas.Feedback;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pairs from thumbs on several responses to one prompt: every response whose thumbs are net up against every
 * response whose thumbs are net down. A response with as many ups as downs takes part in no pair.
 */
public final class ThumbsPairs {

    /**
     * One pair the thumbs support.
     *
     * @param up        the response with net thumbs up (chosen)
     * @param down      the response with net thumbs down (rejected)
     * @param margin    half the difference of the two mean thumbs, (0..1]
     * @param agreement share of the thumbs on both that agree with the pair
     * @param thumbs    the thumbs on both responses
     */
    public record Candidate(String up, String down, double margin, double agreement, List<Feedback> thumbs) {
    }

    private ThumbsPairs() {
    }

    /** The pairs supported by {@code thumbsByResponse} (response id → one thumb per rater), in id order. */
    public static List<Candidate> find(Map<String, List<Feedback>> thumbsByResponse) {
        Map<String, Double> net = new TreeMap<>();
        thumbsByResponse.forEach((response, thumbs) -> net.put(response,
                thumbs.stream().mapToDouble(Feedback::getValue).average().orElse(0.0)));
        List<Candidate> out = new ArrayList<>();
        net.forEach((up, upNet) -> {
            if (upNet <= 0) {
                return;
            }
            net.forEach((down, downNet) -> {
                if (downNet < 0) {
                    out.add(candidate(up, down, upNet, downNet, thumbsByResponse));
                }
            });
        });
        return out;
    }

    private static Candidate candidate(String up, String down, double upNet, double downNet,
                                       Map<String, List<Feedback>> thumbsByResponse) {
        List<Feedback> thumbs = new ArrayList<>(thumbsByResponse.get(up));
        thumbs.addAll(thumbsByResponse.get(down));
        long agreeing = thumbsByResponse.get(up).stream().filter(f -> f.getValue() > 0).count()
                + thumbsByResponse.get(down).stream().filter(f -> f.getValue() < 0).count();
        return new Candidate(up, down, (upNet - downNet) / 2.0, (double) agreeing / thumbs.size(), List.copyOf(thumbs));
    }
}
