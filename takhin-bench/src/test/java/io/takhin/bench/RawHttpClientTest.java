package io.takhin.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RawHttpClientTest {
    /** Two responses that arrive in one read (the second request was sent before the first answer). */
    @Test
    void receive_twoResponsesInOneRead_returnsBothInOrder() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    String requests = "";
                    byte[] chunk = new byte[1024];
                    while (requests.split("\r\n\r\n", -1).length < 3) { // two requests, each ending in a blank line
                        int read = in.read(chunk);
                        if (read < 0) {
                            return;
                        }
                        requests += new String(chunk, 0, read, StandardCharsets.US_ASCII);
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst"
                                    + "HTTP/1.1 404 Not Found\r\nContent-Length: 6\r\n\r\nsecond")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    in.read(); // until the client closes
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Bounded: a client that dropped the second response's bytes would wait for them.
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try (RawHttpClient client =
                        new RawHttpClient(URI.create("http://127.0.0.1:" + server.getLocalPort()))) {
                    client.send("GET", "/a", new byte[0]);
                    client.send("GET", "/b", new byte[0]);

                    BenchClient.Response first = client.receive();
                    assertThat(first.status()).isEqualTo(200);
                    assertThat(first.text()).isEqualTo("first");
                    BenchClient.Response second = client.receive();
                    assertThat(second.status()).isEqualTo(404);
                    assertThat(second.text()).isEqualTo("second");
                }
            });
            peer.join(5_000);
        }
    }
}
