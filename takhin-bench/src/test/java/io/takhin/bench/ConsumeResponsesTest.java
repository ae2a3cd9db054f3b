package io.takhin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConsumeResponsesTest {
    /** What a visitor saw of one record: the value as its length, -1 for null. */
    private record Seen(int partition, long offset, int valueLength) {}

    @Test
    void scan_randomBodies_seesWhatJacksonSees() {
        Random random = new Random(42);
        for (int body = 0; body < 300; body++) {
            byte[] bytes = randomBody(random);
            // Somewhere inside a larger array, as the client's reused buffer holds it.
            int offset = random.nextInt(16);
            byte[] held = new byte[offset + bytes.length + random.nextInt(16)];
            System.arraycopy(bytes, 0, held, offset, bytes.length);

            List<Seen> scanned = new ArrayList<>();
            int scanCount = ConsumeResponses.read(
                    "scan",
                    held,
                    offset,
                    bytes.length,
                    (p, o, b, start, end) -> scanned.add(new Seen(p, o, start < 0 ? -1 : end - start)));
            List<Seen> parsed = new ArrayList<>();
            int parseCount = ConsumeResponses.read(
                    "jackson", held, offset, bytes.length, (p, o, b, start, end) -> parsed.add(new Seen(p, o, end)));

            assertThat(scanned).as(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(parsed);
            assertThat(scanCount).isEqualTo(parseCount).isEqualTo(parsed.size());
        }
    }

    @Test
    void indexOfQuote_everyPositionAndRange_findsTheFirstQuote() {
        for (int length = 0; length < 40; length++) {
            for (int quote = -1; quote < length; quote++) {
                byte[] bytes = new byte[length];
                java.util.Arrays.fill(bytes, (byte) 'A');
                if (quote >= 0) {
                    bytes[quote] = '"';
                }
                for (int from = 0; from <= length; from++) {
                    int expected = quote >= from ? quote : -1;
                    assertThat(ConsumeResponses.indexOfQuote(bytes, from, length))
                            .as("length %d, quote at %d, from %d", length, quote, from)
                            .isEqualTo(expected);
                }
            }
        }
    }

    /** A consume response as the server writes it, with random records, nulls and headers. */
    private static byte[] randomBody(Random random) {
        StringBuilder json = new StringBuilder("{\"records\":[");
        int records = random.nextInt(30);
        for (int i = 0; i < records; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"topic\":\"t-")
                    .append(random.nextInt(3))
                    .append("\",\"partition\":")
                    .append(random.nextInt(12))
                    .append(",\"offset\":")
                    .append(random.nextLong(0, Long.MAX_VALUE))
                    .append(",\"timestamp\":")
                    .append(random.nextLong(0, 2_000_000_000_000L))
                    .append(",\"key\":")
                    .append(base64OrNull(random))
                    .append(",\"value\":")
                    .append(base64OrNull(random))
                    .append(",\"headers\":{");
            int headers = random.nextInt(3);
            for (int h = 0; h < headers; h++) {
                json.append(h == 0 ? "" : ",")
                        .append("\"h")
                        .append(h)
                        .append("\":")
                        .append(base64OrNull(random));
            }
            json.append("}}");
        }
        return json.append("],\"timestamp\":1763900000000}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String base64OrNull(Random random) {
        if (random.nextInt(8) == 0) {
            return "null";
        }
        byte[] data = new byte[random.nextInt(200)];
        random.nextBytes(data);
        return "\"" + Base64.getEncoder().encodeToString(data) + "\"";
    }
}
