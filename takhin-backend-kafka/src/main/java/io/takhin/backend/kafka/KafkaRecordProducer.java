package io.takhin.backend.kafka;

import io.takhin.backend.ProduceRecord;
import io.takhin.backend.Producer;
import io.takhin.backend.RecordMetadata;
import io.takhin.backend.RecordPlacement;
import io.takhin.common.TakhinException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Produce through the one shared, idempotent {@link KafkaProducer} (acks=all by default): a 200
 * means Kafka acknowledged every record. Records are placed by {@link RecordPlacement}, as on the
 * embedded store, so a key lands where a Kafka producer would put it. Thread-safe (KafkaProducer is).
 *
 * <p>Unlike the embedded store, Kafka does not make a request's records for one partition atomic:
 * the producer may send them in several batches, and if one fails the earlier ones stay. The
 * response is then an error and the client retries; the idempotent producer only prevents
 * duplicates within its own retries.
 */
final class KafkaRecordProducer implements Producer {
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaTopicAdmin topics;
    private final Availability availability;
    private final String cluster;
    private final long timeoutMs;
    private final RecordPlacement placement = new RecordPlacement();

    KafkaRecordProducer(
            KafkaProducer<byte[], byte[]> producer,
            KafkaTopicAdmin topics,
            Availability availability,
            String cluster,
            long timeoutMs) {
        this.producer = producer;
        this.topics = topics;
        this.availability = availability;
        this.cluster = cluster;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public List<RecordMetadata> produce(String topic, List<ProduceRecord> records) {
        if (records.isEmpty()) {
            throw TakhinException.invalidArgument("records must not be empty");
        }
        String what = "producing to topic '" + topic + "'";
        availability.require(what);
        int partitionCount = topics.partitionCount(topic);
        int stickyPartition = placement.stickyPartition(topic, partitionCount);
        int[] partitions = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            partitions[i] = RecordPlacement.partition(records.get(i), topic, partitionCount, stickyPartition);
        }
        List<Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>(records.size());
        try {
            for (int i = 0; i < records.size(); i++) {
                ProduceRecord record = records.get(i);
                sent.add(producer.send(new ProducerRecord<>(
                        topic, partitions[i], null, record.key(), record.value(), headers(record))));
            }
        } catch (RuntimeException e) {
            throw KafkaErrors.translate(e, what, cluster);
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        List<RecordMetadata> result = new ArrayList<>(records.size());
        for (Future<org.apache.kafka.clients.producer.RecordMetadata> future : sent) {
            long remainingMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            org.apache.kafka.clients.producer.RecordMetadata acked =
                    KafkaErrors.await(future, remainingMs, what, cluster);
            result.add(new RecordMetadata(acked.partition(), acked.offset(), acked.timestamp()));
        }
        return result;
    }

    private static List<Header> headers(ProduceRecord record) {
        if (record.headers().isEmpty()) {
            return List.of();
        }
        List<Header> headers = new ArrayList<>(record.headers().size());
        for (ProduceRecord.Header header : record.headers()) {
            headers.add(new RecordHeader(header.key(), header.value()));
        }
        return headers;
    }
}
