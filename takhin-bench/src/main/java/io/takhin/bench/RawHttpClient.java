package io.takhin.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A minimal blocking HTTP/1.1 client over one keep-alive socket: the request goes out in one write
 * (TCP_NODELAY), the response is read into one reused buffer. It understands exactly what Takhin
 * sends: a status line, headers, and a body of {@code Content-Length} bytes. Not thread-safe.
 */
final class RawHttpClient extends BenchClient {
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private final String host;
    private final int port;
    private @Nullable Socket socket;
    private @Nullable InputStream in;
    private @Nullable OutputStream out;
    private byte[] buffer = new byte[1 << 16];
    private byte[] request = new byte[1 << 12];
    private long lastSendNanos;
    /** {@code buffer[nextStart, nextEnd)}: bytes of the next response, read with the last one. */
    private int nextStart;

    private int nextEnd;

    RawHttpClient(URI base) {
        this.host = base.getHost();
        this.port = base.getPort() < 0 ? 80 : base.getPort();
    }

    @Override
    Response exchange(String method, String path, byte[] body) throws IOException {
        send(method, path, body);
        return receive();
    }

    /**
     * Sends one request without waiting for its response; {@link #receive} reads the responses in
     * the order their requests went out.
     */
    void send(String method, String path, byte[] body) throws IOException {
        if (socket == null) {
            Socket opened = new Socket();
            opened.setTcpNoDelay(true);
            opened.connect(new InetSocketAddress(host, port), 10_000);
            opened.setSoTimeout(120_000);
            socket = opened;
            in = opened.getInputStream();
            out = opened.getOutputStream();
        }
        try {
            int length = encodeRequest(method, path, body);
            lastSendNanos = System.nanoTime();
            out.write(request, 0, length);
            out.flush();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Reads the next response into the reused buffer (the previous one's bytes are overwritten). */
    Response receive() throws IOException {
        if (socket == null) {
            throw new IOException("no request is outstanding: the connection is closed");
        }
        try {
            return readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private int encodeRequest(String method, String path, byte[] body) {
        byte[] head = (method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int length = head.length + body.length;
        if (request.length < length) {
            request = new byte[Math.max(length, 2 * request.length)];
        }
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return length;
    }

    private Response readResponse() throws IOException {
        // Bytes read past the last response belong to the next one (with requests sent ahead of
        // their responses, two can arrive in one read): moved to the front, not dropped.
        int filled = nextEnd - nextStart;
        System.arraycopy(buffer, nextStart, buffer, 0, filled);
        nextStart = 0;
        nextEnd = 0;
        int headerEnd = indexOf(buffer, HEADER_END, 0, filled);
        while (headerEnd < 0) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, 2 * buffer.length);
            }
            int read = in.read(buffer, filled, buffer.length - filled);
            if (read < 0) {
                throw new EOFException("connection closed before the response headers ended");
            }
            headerEnd = indexOf(buffer, HEADER_END, Math.max(0, filled - 3), filled + read);
            filled += read;
        }
        String headers = new String(buffer, 0, headerEnd, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headers.substring(9, 12));
        long contentLength = -1;
        boolean closeAfter = false;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                closeAfter = true;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                throw new IOException("chunked responses are not supported by this client: " + headers);
            }
        }
        if (contentLength < 0 || contentLength > Integer.MAX_VALUE - 16 - headerEnd) {
            throw new IOException("response without a usable Content-Length: " + headers);
        }
        int bodyStart = headerEnd + HEADER_END.length;
        int total = bodyStart + (int) contentLength;
        if (buffer.length < total) {
            buffer = Arrays.copyOf(buffer, Math.max(total, 2 * buffer.length));
        }
        while (filled < total) {
            int read = in.read(buffer, filled, buffer.length - filled);
            if (read < 0) {
                throw new EOFException("connection closed after " + filled + " of " + total + " response bytes");
            }
            filled += read;
        }
        nextStart = total;
        nextEnd = filled;
        if (closeAfter) {
            close();
        }
        return new Response(status, buffer, bodyStart, (int) contentLength);
    }

    /** First index of {@code pattern} in {@code bytes[from, to)}, or -1. */
    private static int indexOf(byte[] bytes, byte[] pattern, int from, int to) {
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    long lastSendNanos() {
        return lastSendNanos;
    }

    @Override
    public void close() {
        nextStart = 0;
        nextEnd = 0;
        Socket current = socket;
        socket = null;
        in = null;
        out = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // Closing a socket we no longer use: nothing to recover.
            }
        }
    }
}
