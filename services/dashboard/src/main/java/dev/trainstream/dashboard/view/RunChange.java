package dev.trainstream.dashboard.view;

/**
 * A note that a run's view changed, pushed to browsers so they fetch what is new.
 *
 * @param runId training run
 * @param kind  what changed: run, metrics, checkpoint or evaluation
 * @param step  the newest step the change concerns
 */
public record RunChange(String runId, String kind, long step) {
}
