package dev.flywheel.cli.bench.serde;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmark: Avro single-object encode + decode of one record per call, per message type, as records/s. The
 * JMH annotation processor generates its harness when the CLI compiles; {@code flywheel bench serde} runs it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SerdeBenchmark {

    /** The message type; {@link SampleRecords#TYPES} lists them. */
    @Param({"Prompt", "Rollout", "ScoredRollout", "Feedback", "PreferencePair", "PolicyVersion", "MetricPoint"})
    public String type;

    private Supplier<Object> roundTrip;

    /** Builds the sample record and its serializer and deserializer once per trial. */
    @Setup
    public void prepare() {
        roundTrip = SampleRecords.roundTrip(type);
    }

    /** One encode and one decode; returning the result keeps the JIT from discarding the work. */
    @Benchmark
    public Object encodeDecode() {
        return roundTrip.get();
    }
}
