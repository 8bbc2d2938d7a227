package dev.trainstream.launcher;

import dev.trainstream.ops.config.Setting;
import java.util.List;

/** An options holder whose every option is one of these settings: its default, variable and help come from them. */
interface SettingsBacked {
    /** The settings behind this holder's options, one per option, matched by flag name. */
    List<Setting> settings();
}
