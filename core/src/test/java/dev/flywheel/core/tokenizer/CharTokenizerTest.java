package dev.flywheel.core.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CharTokenizerTest {

    @Test
    void encodesAndDecodesTextRoundTrip() {
        CharTokenizer t = CharTokenizer.of("abc 123?é");
        int[] ids = t.encode("a1 é?");
        assertThat(ids).hasSize(5);
        assertThat(java.util.Arrays.stream(ids).noneMatch(t::isSpecial)).isTrue();
        assertThat(t.decode(ids)).isEqualTo("a1 é?");
        assertThat(t.vocabSize()).isEqualTo(4 + 9);
    }

    @Test
    void promptStartsWithBosAndDecodeSkipsSpecials() {
        CharTokenizer t = CharTokenizer.of("xy");
        int[] prompt = t.encodePrompt("xy");
        assertThat(prompt[0]).isEqualTo(t.bosId());
        int[] withEos = {prompt[0], prompt[1], prompt[2], t.eosId(), t.padId()};
        assertThat(t.decode(withEos)).isEqualTo("xy");
    }

    @Test
    void unknownCharactersBecomeUnkAndAreReported() {
        CharTokenizer t = CharTokenizer.of("ab");
        assertThat(t.covers("abba")).isTrue();
        assertThat(t.covers("abc")).isFalse();
        assertThat(t.decode(t.encode("acb"))).isEqualTo("a\uFFFDb");
    }

    @Test
    void savedTextReadsBackToAnEqualTokenizerWithTheSameVersion() {
        CharTokenizer t = CharTokenizer.fromCorpus(List.of("what is 2+2?", "Ünïcode ✓ 𝄞"));
        Tokenizer back = Tokenizers.fromText(t.toText());
        assertThat(back).isEqualTo(t);
        assertThat(back.version()).isEqualTo(t.version());
        assertThat(back.decode(back.encode("Ünïcode 𝄞 2+2?"))).isEqualTo("Ünïcode 𝄞 2+2?");
    }

    @Test
    void versionChangesWithTheAlphabet() {
        assertThat(CharTokenizer.of("abc").version()).isNotEqualTo(CharTokenizer.of("abd").version());
        assertThat(CharTokenizer.of("abc").version()).isEqualTo(CharTokenizer.of("abc").version());
    }

    @Test
    void rejectsHandEditedVocabularyAndUnknownTypes() {
        String edited = CharTokenizer.of("abc").toText().replace("alphabet=61", "alphabet=7a");
        assertThatThrownBy(() -> Tokenizers.fromText(edited)).hasMessageContaining("edited by hand");
        assertThatThrownBy(() -> Tokenizers.fromText("bpe\nmerges=...")).hasMessageContaining("unknown tokenizer type 'bpe'");
        assertThatThrownBy(() -> CharTokenizer.of("aba")).hasMessageContaining("repeats character 'a'");
    }

    @Test
    void userTokenizersRegisterByType() {
        Tokenizers registry = Tokenizers.builtIn().with("upper", text -> CharTokenizer.of("ABC"));
        assertThat(registry.parse("upper\n").vocabSize()).isEqualTo(7);
    }
}
