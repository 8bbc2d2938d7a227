package dev.trainstream.dashboard;

import dev.trainstream.ops.config.Setting;
import java.util.List;

/** Every setting of the dashboard service with its default, declared once (its interface is --http-bind). */
public final class DashboardSettings {
    /** No token: the dashboard trusts whoever reaches its (by default loopback-only) port. */
    public static final Setting TOKEN = Setting.env("token", "TRAINSTREAM_DASHBOARD_TOKEN", null,
        "Bearer token required by the pages, /api and /openapi.yaml (at least 16 characters; a browser opens "
            + "/?token=... once and keeps it in a cookie). Health and metrics stay open for probes and scrapers. "
            + "Prefer the variable: a flag shows in process listings.").noting("none (no authentication)");
    /** Far above a team's open tabs, far below what exhausts the event loop's memory or file descriptors. */
    public static final Setting MAX_LIVE_STREAMS = Setting.env("max-live-streams",
        "TRAINSTREAM_DASHBOARD_MAX_LIVE_STREAMS", "64",
        "Most open /api/events streams at once; more are refused with 503. A stream whose client stops reading is "
            + "dropped once 256 KiB wait for it.");

    /** In the order --help and the README list them. */
    public static final List<Setting> ALL = List.of(TOKEN, MAX_LIVE_STREAMS);

    private DashboardSettings() {
    }
}
