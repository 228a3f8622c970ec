package dev.flywheel.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.schemas.MessageFixtures;
import dev.flywheel.schemas.Rollout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One serde instance is shared by every thread of a service; check Avro's encoder and decoder allow that. */
class AvroSerdeConcurrencyTest {

  private static final int THREADS = 6;
  private static final int RECORDS_PER_THREAD = 1500;

  @Test
  void oneSerdeEncodesAndDecodesCorrectlyFromManyThreadsAtOnce() throws Exception {
    AvroSerde<Rollout> serde = AvroSerdes.rollout();
    List<Rollout> records = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      records.add(MessageFixtures.rollout(i));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int offset = t;
        Callable<Integer> worker = () -> {
          start.await();
          int matches = 0;
          for (int i = 0; i < RECORDS_PER_THREAD; i++) {
            Rollout original = records.get((i * 7 + offset) % records.size());
            byte[] bytes = serde.serializer().serialize("fw.rollouts", original);
            if (serde.deserializer().deserialize("fw.rollouts", bytes).equals(original)) {
              matches++;
            }
          }
          return matches;
        };
        results.add(pool.submit(worker));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get(120, TimeUnit.SECONDS)).isEqualTo(RECORDS_PER_THREAD);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
