#!/bin/bash
# Creates every Trainstream topic listed in topics.txt (name, partitions, configs) with kafka-topics.sh; idempotent.
# Used by the compose "kafka-init" step and the Kubernetes "trainstream-topics" Job, so both create the same topics.
set -euo pipefail
: "${TOPICS_BOOTSTRAP_SERVER:?TOPICS_BOOTSTRAP_SERVER (host:port of a Kafka listener) must be set}"
: "${TOPICS_REPLICATION_FACTOR:?TOPICS_REPLICATION_FACTOR must be set}"
topics_file="${TOPICS_FILE:-/etc/trainstream/topics/topics.txt}"
kafka_bin="${KAFKA_BIN:-/opt/kafka/bin}"

while read -r name partitions configs; do
  case "${name}" in '' | '#'*) continue ;; esac
  config_args=()
  if [ -n "${configs:-}" ]; then
    IFS=',' read -ra pairs <<< "${configs}"
    for pair in "${pairs[@]}"; do config_args+=(--config "${pair}"); done
  fi
  echo "topic ${name}: partitions=${partitions} replication=${TOPICS_REPLICATION_FACTOR} configs=${configs:-none}"
  "${kafka_bin}/kafka-topics.sh" --bootstrap-server "${TOPICS_BOOTSTRAP_SERVER}" --create --if-not-exists \
    --topic "${name}" --partitions "${partitions}" --replication-factor "${TOPICS_REPLICATION_FACTOR}" "${config_args[@]}"
done < "${topics_file}"
"${kafka_bin}/kafka-topics.sh" --bootstrap-server "${TOPICS_BOOTSTRAP_SERVER}" --describe --topic 'trainstream\..*'
