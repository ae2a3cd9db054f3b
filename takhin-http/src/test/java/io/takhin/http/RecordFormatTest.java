package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.common.TakhinException;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    @Test
    void parse_knownNames_giveFormats() {
        assertThat(RecordFormat.parse("key.format", "json")).isEqualTo(RecordFormat.JSON);
        assertThat(RecordFormat.parse("key.format", "string")).isEqualTo(RecordFormat.STRING);
        assertThat(RecordFormat.parse("value.format", "binary")).isEqualTo(RecordFormat.BINARY);
    }

    @Test
    void parse_unknownName_answers400NamingParameter() {
        assertThatThrownBy(() -> RecordFormat.parse("value.format", "avro"))
                .isInstanceOf(TakhinException.class)
                .hasMessage("value.format must be one of json, string, binary; got 'avro'");
        assertThatThrownBy(() -> RecordFormat.parse("key.format", "JSON")).isInstanceOf(TakhinException.class);
    }
}
