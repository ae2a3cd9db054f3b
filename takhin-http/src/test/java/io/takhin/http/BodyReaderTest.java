package io.takhin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BodyReaderTest {
    /** A stream of {@code length} bytes that counts what was read from it. */
    private static final class CountingStream extends InputStream {
        private final long length;
        private final AtomicLong read = new AtomicLong();

        CountingStream(long length) {
            this.length = length;
        }

        @Override
        public int read() {
            return read.get() < length ? (int) (read.getAndIncrement() & 0x7f) : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) {
            long left = length - read.get();
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(count, left);
            Arrays.fill(buffer, offset, offset + n, (byte) 'x');
            read.addAndGet(n);
            return n;
        }
    }

    private static void assertCode(Throwable e, ErrorCode code) {
        assertThat(e).isInstanceOf(TakhinException.class);
        assertThat(((TakhinException) e).code()).isEqualTo(code);
    }

    @Test
    void read_declaredLengthAboveLimit_answers413BeforeReadingAnything() {
        var in = new CountingStream(2_000);

        assertThatThrownBy(() -> BodyReader.read(in, 2_000, 1_000))
                .satisfies(e -> assertCode(e, ErrorCode.PAYLOAD_TOO_LARGE))
                .hasMessage("request body is 2000 bytes; the limit for this route is 1000 bytes");
        assertThat(in.read.get()).isZero();
    }

    @Test
    void read_unknownLengthAboveLimit_stopsOneBytePastTheLimit() {
        var in = new CountingStream(10_000_000);

        assertThatThrownBy(() -> BodyReader.read(in, -1, 100_000))
                .satisfies(e -> assertCode(e, ErrorCode.PAYLOAD_TOO_LARGE))
                .hasMessage("request body exceeds the limit for this route of 100000 bytes");
        assertThat(in.read.get()).isEqualTo(100_001);
    }

    @Test
    void read_unknownLengthExactlyAtLimit_isAccepted() {
        byte[] body = BodyReader.read(new CountingStream(100_000), -1, 100_000);

        assertThat(body).hasSize(100_000);
    }

    @Test
    void read_unknownLengthSmall_returnsEveryByte() {
        byte[] body = BodyReader.read(new ByteArrayInputStream("{\"a\":1}".getBytes()), -1, 1 << 20);

        assertThat(new String(body)).isEqualTo("{\"a\":1}");
    }

    @Test
    void read_declaredLength_readsExactly() {
        byte[] body = BodyReader.read(new CountingStream(500), 500, 500);

        assertThat(body).hasSize(500);
    }

    @Test
    void read_bodyShorterThanDeclared_answers400() {
        assertThatThrownBy(() -> BodyReader.read(new CountingStream(10), 20, 100))
                .satisfies(e -> assertCode(e, ErrorCode.MALFORMED_REQUEST))
                .hasMessage("request body ended after 10 of its declared 20 bytes");
    }

    @Test
    void read_streamFails_answers400NotInternal() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> BodyReader.read(broken, -1, 100))
                .satisfies(e -> assertCode(e, ErrorCode.MALFORMED_REQUEST));
    }

    @Test
    void checkJsonContentType_jsonOrMissing_isAccepted() {
        assertThatCode(() -> {
                    BodyReader.checkJsonContentType(null);
                    BodyReader.checkJsonContentType("");
                    BodyReader.checkJsonContentType("application/json");
                    BodyReader.checkJsonContentType("Application/JSON; charset=utf-8");
                    BodyReader.checkJsonContentType("application/vnd.takhin.v1+json");
                })
                .doesNotThrowAnyException();
    }

    @Test
    void checkJsonContentType_otherType_answers400Malformed() {
        assertThatThrownBy(() -> BodyReader.checkJsonContentType("text/plain"))
                .satisfies(e -> assertCode(e, ErrorCode.MALFORMED_REQUEST))
                .hasMessage("Content-Type must be application/json, got 'text/plain'");
        assertThatThrownBy(() -> BodyReader.checkJsonContentType("application/x-www-form-urlencoded"))
                .satisfies(e -> assertCode(e, ErrorCode.MALFORMED_REQUEST));
    }
}
