#!/bin/bash
# kafka-broker-api-versions.sh of the stand-in (the compose health check): Kafka's BrokerApiVersionsCommand.
KAFKA_LOG4J_CONFIG=/opt/kafka/config/tools-log4j2.properties KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx128m}" exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
