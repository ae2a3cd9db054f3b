package io.takhin.common;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicNamesTest {
    @Test
    void validate_kafkaLegalNames_accepted() {
        for (String name : new String[] {"orders", "a", "A.b_c-9", ".hidden", "x".repeat(249)}) {
            assertThatCode(() -> TopicNames.validate(name)).doesNotThrowAnyException();
        }
    }

    @Test
    void validate_illegalNames_rejectedWithReason() {
        assertThatThrownBy(() -> TopicNames.validate("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> TopicNames.validate(".")).hasMessageContaining("'.'");
        assertThatThrownBy(() -> TopicNames.validate("..")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> TopicNames.validate("x".repeat(250))).hasMessageContaining("249");
        assertThatThrownBy(() -> TopicNames.validate("a/b")).hasMessageContaining("index 1");
        assertThatThrownBy(() -> TopicNames.validate("ünï")).hasMessageContaining("index 0");
    }
}
