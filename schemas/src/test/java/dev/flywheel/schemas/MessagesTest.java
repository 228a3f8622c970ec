package dev.flywheel.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessagesTest {

  @Test
  void listsTheSevenMessagesOfTheDesignInPipelineOrder() {
    assertThat(Messages.names()).containsExactly("Prompt", "Rollout", "Feedback", "ScoredRollout",
        "PreferencePair", "PolicyVersion", "MetricPoint");
  }

  @Test
  void findsAMessageBySimpleOrFullNameAndByClass() {
    MessageType<?> prompt = Messages.byName("Prompt");
    assertThat(prompt.type()).isEqualTo(Prompt.class);
    assertThat(prompt.schema()).isEqualTo(Prompt.getClassSchema());
    assertThat(prompt.serde().type()).isEqualTo(Prompt.class);
    assertThat(Messages.byName("dev.flywheel.schemas.Rollout").type()).isEqualTo(Rollout.class);
    assertThat(Messages.forType(PolicyVersion.class).name()).isEqualTo("PolicyVersion");
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> Messages.byName("Prompts"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no message named 'Prompts'; known messages are [Prompt, Rollout, Feedback, ScoredRollout, "
            + "PreferencePair, PolicyVersion, MetricPoint]");
    assertThatThrownBy(() -> Messages.forType(SamplingParams.class))
        .hasMessageContaining("dev.flywheel.schemas.SamplingParams is not a Flywheel message");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void findsTheMessageOfEncodedBytesByTheirFingerprint() {
    for (var record : MessageFixtures.oneOfEach()) {
      MessageType message = Messages.forType(record.getClass());
      byte[] encoded = message.serde().serializer().serialize("any-topic", record);
      assertThat(Messages.ofEncoded(encoded)).contains(message);
    }
    assertThat(Messages.ofEncoded("{\"id\":1}".getBytes())).isEmpty();
    assertThat(Messages.ofEncoded(new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9})).isEmpty();
    assertThat(Messages.ofEncoded(null)).isEmpty();
  }
}
