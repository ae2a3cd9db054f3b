package io.takhin.http;

import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's own documentation: the hand-written OpenAPI document ({@code openapi.yaml} in this
 * package's resources) at {@code /api/openapi.yaml}, and Swagger UI at {@code /api/docs}, served from
 * the swagger-ui webjar on the classpath. Thread-safe: the assets are read once and cached in a
 * concurrent map; only the few files of {@link #ASSETS} can be asked for, so the cache is bounded.
 */
final class DocsEndpoints {
    /** The webjar files the UI page loads; nothing else of the webjar is served. */
    static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "index.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");

    private static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private final byte[] openApi;
    private final byte[] indexHtml;
    private final String webjarRoot;
    private final Map<String, byte[]> assetCache = new ConcurrentHashMap<>();

    private DocsEndpoints(byte[] openApi, byte[] indexHtml, String webjarRoot) {
        this.openApi = openApi;
        this.indexHtml = indexHtml;
        this.webjarRoot = webjarRoot;
    }

    /** Loads the OpenAPI document and the UI page; a missing resource is a packaging bug and fails startup. */
    static DocsEndpoints load() {
        Properties webjar = new Properties();
        try (InputStream in = requireResource(WEBJAR_PROPERTIES)) {
            webjar.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = webjar.getProperty("version");
        if (version == null) {
            throw new IllegalStateException(WEBJAR_PROPERTIES + " has no version");
        }
        return new DocsEndpoints(
                readResource("io/takhin/http/openapi.yaml"),
                readResource("io/takhin/http/swagger-ui.html"),
                "META-INF/resources/webjars/swagger-ui/" + version + "/");
    }

    /** GET /api/openapi.yaml. */
    Reply openApi(Call call) {
        return new Reply(200, "application/yaml; charset=utf-8", Map.of(), openApi);
    }

    /** GET /api/docs: the Swagger UI page, pointed at /api/openapi.yaml. */
    Reply page(Call call) {
        return new Reply(200, "text/html; charset=utf-8", Map.of(), indexHtml);
    }

    /** GET /api/docs/{asset}: a file of the swagger-ui webjar; 404 for anything not in {@link #ASSETS}. */
    Reply asset(Call call) {
        String name = call.pathParam("asset");
        String contentType = ASSETS.get(name);
        if (contentType == null) {
            throw new TakhinException(ErrorCode.NOT_FOUND, "no documentation asset named '" + name + "'");
        }
        byte[] bytes = assetCache.computeIfAbsent(name, n -> readResource(webjarRoot + n));
        // The webjar's files change only with its version, which is part of the jar.
        return new Reply(200, contentType, Map.of("Cache-Control", "public, max-age=86400"), bytes);
    }

    /** The OpenAPI document as served; for tests. */
    byte[] openApiBytes() {
        return openApi.clone();
    }

    private static byte[] readResource(String name) {
        try (InputStream in = requireResource(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read classpath resource " + name, e);
        }
    }

    private static InputStream requireResource(String name) {
        InputStream in = DocsEndpoints.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + name + " is missing");
        }
        return in;
    }
}
