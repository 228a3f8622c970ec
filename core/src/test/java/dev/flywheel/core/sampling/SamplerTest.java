package dev.flywheel.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void rowsOfOneBatchDrawFromStreamsThatShareNoDraws() {
        SplittableRandom[] rows = Sampler.rowStreams(42, 8);
        Set<Long> seen = new HashSet<>();
        for (SplittableRandom row : rows) {
            for (int k = 0; k < 64; k++) {
                seen.add(row.nextLong());
            }
        }
        // Streams offset by SplittableRandom's increment would repeat each other's draws one step later.
        assertThat(seen).hasSize(8 * 64);
    }

    @Test
    void rowStreamsAreFixedByTheSeedAlone() {
        SplittableRandom[] a = Sampler.rowStreams(7, 4);
        SplittableRandom[] b = Sampler.rowStreams(7, 4);
        SplittableRandom[] other = Sampler.rowStreams(8, 4);
        for (int i = 0; i < 4; i++) {
            long first = a[i].nextLong();
            assertThat(b[i].nextLong()).isEqualTo(first);
            assertThat(other[i].nextLong()).isNotEqualTo(first);
        }
    }
}
