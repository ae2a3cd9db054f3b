package io.takhin.http;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error page, replaced by the JSON error body from {@link ErrorMapper#forProtocolError}. Jetty
 * calls it for errors it finds before (or instead of) our handler: a malformed request line, headers
 * over the limit (431), a broken chunked body. Stateless and thread-safe.
 */
final class JsonErrorHandler implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer errorStatus) {
            status = errorStatus;
        }
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException httpException) {
            status = httpException.getCode();
        }
        if (status < 400) {
            status = 500;
        }
        response.getHeaders().put(ErrorHandler.ERROR_CACHE_CONTROL);
        TakhinHandler.send(response, callback, ErrorMapper.forProtocolError(status));
        return true;
    }
}
