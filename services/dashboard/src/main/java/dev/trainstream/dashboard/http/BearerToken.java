package dev.trainstream.dashboard.http;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Requires the dashboard's token on every request it guards: as {@code Authorization: Bearer <token>} (scripts,
 * curl), or as the cookie a browser got by opening any page once with {@code ?token=<token>}; that request is
 * redirected to the same address without the token (the rest of the query, such as a compare page's runs, stays), so
 * the token leaves the address bar and history. Comparison is in
 * constant time; a refusal says only that a token is needed.
 */
final class BearerToken {
    static final String COOKIE = "trainstream_token";
    private static final String QUERY = "token";
    private static final String BEARER = "Bearer ";

    private final byte[] expected;

    BearerToken(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    void handle(RoutingContext ctx) {
        String offered = ctx.request().getParam(QUERY);
        if (offered != null) {
            if (!matches(offered)) {
                refuse(ctx);
                return;
            }
            Cookie cookie = Cookie.cookie(COOKIE, offered).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT);
            ctx.response().addCookie(cookie).setStatusCode(303)
                .putHeader(HttpHeaders.LOCATION, withoutToken(ctx.request().path(), ctx.request().query())).end();
            return;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        Cookie cookie = ctx.request().getCookie(COOKIE);
        if ((header != null && header.startsWith(BEARER) && matches(header.substring(BEARER.length())))
            || (cookie != null && matches(cookie.getValue()))) {
            ctx.next();
        } else {
            refuse(ctx);
        }
    }

    /** The path and its query, less every {@code token} parameter; the other parameters stay as they were sent. */
    static String withoutToken(String path, String query) {
        if (query == null) {
            return path;
        }
        String kept = Arrays.stream(query.split("&"))
            .filter(part -> !part.isEmpty() && !QUERY.equals(URLDecoder.decode(part.split("=", 2)[0],
                StandardCharsets.UTF_8)))
            .collect(Collectors.joining("&"));
        return kept.isEmpty() ? path : path + "?" + kept;
    }

    private boolean matches(String offered) {
        return MessageDigest.isEqual(expected, offered.getBytes(StandardCharsets.UTF_8));
    }

    private static void refuse(RoutingContext ctx) {
        ctx.response().setStatusCode(401).putHeader("www-authenticate", "Bearer realm=\"trainstream\"")
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
            .end(new JsonObject().put("status", 401).put("title", "this dashboard requires its token").encode());
    }
}
