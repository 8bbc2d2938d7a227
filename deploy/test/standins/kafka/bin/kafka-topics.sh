#!/bin/bash
# kafka-topics.sh of the stand-in: Kafka's TopicCommand, as in the real image.
KAFKA_LOG4J_CONFIG=/opt/kafka/config/tools-log4j2.properties KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx128m}" exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.TopicCommand "$@"
