package dev.flywheel.learner.experience;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the n samples of each prompt from the stream into complete groups for GRPO and RLOO.
 *
 * <p>A group whose samples do not all arrive (one was dead-lettered, say) waits while up to {@code maxWaitRecords}
 * further records are offered, then is dropped. The bound counts records rather than seconds so that a replay of
 * the same log makes exactly the same groups, which the learner's exactly-once restarts rely on.
 */
public final class GroupAssembler {

    private final long maxWaitRecords;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private long offered;

    /** An assembler that drops a group after {@code maxWaitRecords} further records without completing. */
    public GroupAssembler(long maxWaitRecords) {
        if (maxWaitRecords < 1) {
            throw new IllegalArgumentException("--group-wait-records must be at least 1, got " + maxWaitRecords);
        }
        this.maxWaitRecords = maxWaitRecords;
    }

    /** The outcome of offering one experience: groups completed and groups expired, either possibly empty. */
    public record Offer(List<List<Experience>> completed, List<List<Experience>> expired) {
    }

    /** Adds one experience; returns the group it completed (if any) and the groups that timed out. */
    public Offer offer(Experience e) {
        offered++;
        List<List<Experience>> completed = new ArrayList<>();
        if (e.groupSize() <= 1) {
            completed.add(List.of(e));
        } else {
            Pending p = pending.computeIfAbsent(e.groupId(), id -> new Pending(offered, e.groupSize()));
            p.members.add(e);
            if (p.members.size() >= p.size) {
                pending.remove(e.groupId());
                completed.add(List.copyOf(p.members));
            }
        }
        return new Offer(completed, expire());
    }

    /** Experiences waiting in incomplete groups. */
    public int waiting() {
        return pending.values().stream().mapToInt(p -> p.members.size()).sum();
    }

    private List<List<Experience>> expire() {
        List<List<Experience>> expired = new ArrayList<>();
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (offered - p.firstOffered < maxWaitRecords) {
                break;
            }
            expired.add(List.copyOf(p.members));
            it.remove();
        }
        return expired;
    }

    private static final class Pending {
        final long firstOffered;
        final int size;
        final List<Experience> members = new ArrayList<>();

        Pending(long firstOffered, int size) {
            this.firstOffered = firstOffered;
            this.size = size;
        }
    }
}
