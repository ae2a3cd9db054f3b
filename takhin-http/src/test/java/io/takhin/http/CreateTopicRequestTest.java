package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class CreateTopicRequestTest {
    private static CreateTopicRequest parse(String body) {
        return CreateTopicRequest.parse(body.getBytes(StandardCharsets.UTF_8), 100);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String body) {
        return assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void parse_validBody_givesNameAndPartitions() {
        assertThat(parse("{\"name\": \"orders\", \"partitions\": 3}")).isEqualTo(new CreateTopicRequest("orders", 3));
    }

    @Test
    void parse_badName_answers400FromKafkasRule() {
        assertInvalid("{\"name\": \"a/b\", \"partitions\": 1}").hasMessageContaining("illegal character at index 1");
        assertInvalid("{\"name\": \"..\", \"partitions\": 1}").hasMessageContaining("'.' or '..'");
        assertInvalid("{\"name\": \"\", \"partitions\": 1}").hasMessage("topic name must not be empty");
    }

    @Test
    void parse_partitionsOutOfRange_answers400NamingRange() {
        assertInvalid("{\"name\": \"t\", \"partitions\": 0}").hasMessage("partitions must be between 1 and 100, got 0");
        assertInvalid("{\"name\": \"t\", \"partitions\": 101}")
                .hasMessage("partitions must be between 1 and 100, got 101");
        assertInvalid("{\"name\": \"t\", \"partitions\": 99999999999}")
                .hasMessage("partitions must be between 1 and 100, got 99999999999");
    }

    @Test
    void parse_wrongTypes_answers400NamingField() {
        assertInvalid("{\"name\": 5, \"partitions\": 1}").hasMessage("name must be a JSON string, got an integer");
        assertInvalid("{\"name\": \"t\", \"partitions\": \"3\"}")
                .hasMessage("partitions must be an integer, got a string");
    }

    @Test
    void parse_missingFields_answers400() {
        assertInvalid("{\"partitions\": 1}").hasMessage("name is required");
        assertInvalid("{\"name\": \"t\"}").hasMessage("partitions is required (1..100)");
    }

    @Test
    void parse_unknownField_answers400() {
        assertInvalid("{\"name\": \"t\", \"partitions\": 1, \"replication\": 3}")
                .hasMessageContaining("unknown field 'replication'");
    }

    @Test
    void parse_notJson_answers400Malformed() {
        assertThatThrownBy(() -> parse("name=orders"))
                .isInstanceOfSatisfying(
                        TakhinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_REQUEST));
    }
}
