package dev.flywheel.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The shipped logback.xml must load cleanly: once a "--" inside an XML comment made logback reject it silently and
 * every command logged DEBUG to the terminal.
 */
class LoggingConfigurationTest {

    @Test
    void shippedConfigurationLoadsWithoutErrorsAndKeepsTheTerminalQuiet() throws Exception {
        URL config = getClass().getClassLoader().getResource("logback.xml");
        assertThat(config).as("logback.xml on the cli's class path").isNotNull();
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);

        assertThat(context.getStatusManager().getCopyOfStatusList())
                .filteredOn(s -> s.getEffectiveLevel() >= Status.WARN)
                .extracting(Status::getMessage)
                .isEmpty();
        assertThat(context.getLogger("dev.flywheel.learner.Learner").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.kafka.clients.consumer.KafkaConsumer").getEffectiveLevel())
                .isEqualTo(Level.ERROR);
        assertThat(context.getLogger("ai.djl.util.cuda.CudaUtils").getEffectiveLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        context.stop();
    }
}
