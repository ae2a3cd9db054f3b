package io.takhin.storage.record;

import java.nio.ByteBuffer;

/**
 * UTF-8 length and encoding of strings straight into a buffer, so that encoding a header key
 * allocates nothing. Unpaired surrogates become '?', as {@link String#getBytes} does. Stateless.
 */
final class Utf8 {
    private Utf8() {}

    static int encodedLength(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length += 1;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** Writes the UTF-8 bytes of {@code text} at the buffer's position and advances it. */
    static void write(String text, ByteBuffer buffer) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                buffer.put((byte) c);
            } else if (c < 0x800) {
                buffer.put((byte) (0xc0 | (c >> 6)));
                buffer.put((byte) (0x80 | (c & 0x3f)));
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                buffer.put((byte) (0xf0 | (codePoint >> 18)));
                buffer.put((byte) (0x80 | ((codePoint >> 12) & 0x3f)));
                buffer.put((byte) (0x80 | ((codePoint >> 6) & 0x3f)));
                buffer.put((byte) (0x80 | (codePoint & 0x3f)));
            } else if (Character.isSurrogate(c)) {
                buffer.put((byte) '?');
            } else {
                buffer.put((byte) (0xe0 | (c >> 12)));
                buffer.put((byte) (0x80 | ((c >> 6) & 0x3f)));
                buffer.put((byte) (0x80 | (c & 0x3f)));
            }
        }
    }
}
