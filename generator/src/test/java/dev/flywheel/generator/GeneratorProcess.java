package dev.flywheel.generator;

import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A generator in a JVM of its own, for the crash test to kill:
 * {@code GeneratorProcess BOOTSTRAP MODEL_STORE PREFIX [HALT_AFTER_ACKS]}. Runs until killed (or, with the last
 * argument, until {@link HaltingInterceptor} halts it inside a transaction); a plain termination signal closes it
 * gracefully.
 */
public final class GeneratorProcess {
    private GeneratorProcess() {
    }

    /** Starts the generator and blocks. */
    public static void main(String[] args) throws InterruptedException {
        Topics topics = Topics.withPrefix(args[2]);
        GeneratorConfig config = GeneratorConfig.builder(Path.of(args[1])).topics(topics).instanceId("crash-test")
                .consumerGroup(consumerGroup(topics)).samplesPerPrompt(GeneratorCrashTest.SAMPLES)
                .batches(4, Duration.ofMillis(20)).sampling(SamplingParams.of(16, 3L)).maxDownstreamLag(0).build();
        // A transaction the broker would only time out after 15 minutes: recovery must come from the restarted
        // instance fencing its predecessor, never from waiting the timeout out.
        KafkaSettings kafka = KafkaSettings.of(args[0]).withProperty("transaction.timeout.ms", "900000");
        if (args.length > 3) {
            kafka = kafka.withProperty("interceptor.classes", HaltingInterceptor.class.getName())
                    .withProperty(HaltingInterceptor.HALT_AFTER_ACKS, args[3]);
        }
        Generator generator = Generator.start(kafka, config, new SimpleMeterRegistry(),
                GeneratorListener.silent());
        Runtime.getRuntime().addShutdownHook(new Thread(generator::close, "generator-shutdown"));
        System.out.println("generator running");
        generator.termination().join();
    }

    static String consumerGroup(Topics topics) {
        return topics.prefix() + "generator";
    }
}
