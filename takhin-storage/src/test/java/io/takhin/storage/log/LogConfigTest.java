package io.takhin.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogConfigTest {
    @Test
    void defaults_areTheDocumentedValues() {
        long sevenDaysMs = 7L * 24 * 60 * 60 * 1000;

        assertThat(LogConfig.defaults())
                .isEqualTo(new LogConfig(1L << 30, sevenDaysMs, 4096, -1, sevenDaysMs, 0, 60_000));
        assertThat(LogConfig.defaults().intervalFlush()).isFalse();
    }

    @Test
    void constructor_outOfRange_namesTheField() {
        LogConfig defaults = LogConfig.defaults();

        assertThatThrownBy(() -> defaults.withSegmentBytes(0)).hasMessageContaining("segmentBytes");
        assertThatThrownBy(() -> defaults.withSegmentBytes(1L << 31)).hasMessageContaining("segmentBytes");
        assertThatThrownBy(() -> defaults.withSegmentMs(0)).hasMessageContaining("segmentMs");
        assertThatThrownBy(() -> defaults.withIndexIntervalBytes(-1)).hasMessageContaining("indexIntervalBytes");
        assertThatThrownBy(() -> defaults.withRetentionBytes(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retentionBytes must be >= -1 (-1 = unlimited), got -2");
        assertThatThrownBy(() -> defaults.withRetentionMs(-2)).hasMessageContaining("retentionMs");
        assertThatThrownBy(() -> defaults.withFlushIntervalMs(-1)).hasMessageContaining("flushIntervalMs");
        assertThatThrownBy(() -> defaults.withRetentionCheckIntervalMs(0))
                .hasMessageContaining("retentionCheckIntervalMs");
    }
}
