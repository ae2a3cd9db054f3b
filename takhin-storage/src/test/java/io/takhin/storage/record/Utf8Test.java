package io.takhin.storage.record;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.takhin.storage.TestSeed;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestSeed.class)
class Utf8Test {
    @Test
    void write_knownStrings_matchesGetBytes() {
        for (String text : new String[] {"", "orders", "ünï", "日本", "😀x", "\ud800", "a\udc00b", "\ud83d"}) {
            assertEncodesLikeJdk(text);
        }
    }

    @RepeatedTest(20)
    void write_randomChars_matchesGetBytes(Random random) {
        char[] chars = new char[random.nextInt(40)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
        }
        assertEncodesLikeJdk(new String(chars));
    }

    private static void assertEncodesLikeJdk(String text) {
        byte[] expected = text.getBytes(UTF_8);
        assertThat(Utf8.encodedLength(text)).as("length of %s", text).isEqualTo(expected.length);
        ByteBuffer buffer = ByteBuffer.allocate(expected.length);
        Utf8.write(text, buffer);
        assertThat(buffer.hasRemaining()).isFalse();
        assertThat(Arrays.equals(buffer.array(), expected))
                .as("bytes of %s", text)
                .isTrue();
    }
}
