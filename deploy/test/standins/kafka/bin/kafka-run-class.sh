#!/bin/bash
# Runs a Kafka main class on the stand-in's jars, as Kafka's own kafka-run-class.sh does (heap from KAFKA_HEAP_OPTS).
set -euo pipefail
class="$1"; shift
# shellcheck disable=SC2086 # the option variables are lists of JVM flags.
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} ${KAFKA_OPTS:-} -Dlog4j2.configurationFile="${KAFKA_LOG4J_CONFIG:-/opt/kafka/config/log4j2.properties}" \
  -cp '/opt/kafka/libs/*' "${class}" "$@"
