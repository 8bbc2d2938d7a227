package dev.trainstream.dashboard;

import dev.trainstream.ops.config.Setting;
import java.util.List;

/** Every setting of the dashboard service with its default, declared once. */
public final class DashboardSettings {
    /** Every interface, as a container needs; 127.0.0.1 keeps the dashboard on this machine. */
    public static final Setting BIND = Setting.env("bind", "TRAINSTREAM_DASHBOARD_BIND", "0.0.0.0",
        "Interface to listen on (127.0.0.1 keeps it on this machine).");

    /** In the order --help and the README list them. */
    public static final List<Setting> ALL = List.of(BIND);

    private DashboardSettings() {
    }
}
