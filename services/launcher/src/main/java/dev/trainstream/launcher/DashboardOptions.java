package dev.trainstream.launcher;

import dev.trainstream.dashboard.DashboardSettings;
import dev.trainstream.ops.config.Setting;
import java.util.List;
import picocli.CommandLine.Option;

/** The dashboard service's own options (beside the connection options every service shares). */
final class DashboardOptions implements SettingsBacked {
    @Option(names = "--token", paramLabel = "TOKEN")
    String token;

    @Option(names = "--max-live-streams", paramLabel = "N")
    int maxLiveStreams;

    @Override
    public List<Setting> settings() {
        return DashboardSettings.ALL;
    }
}
