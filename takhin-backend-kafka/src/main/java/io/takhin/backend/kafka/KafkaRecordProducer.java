package io.takhin.backend.kafka;

import io.takhin.backend.ProduceRecord;
import io.takhin.backend.Producer;
import io.takhin.backend.RecordMetadata;
import io.takhin.common.Murmur2;
import io.takhin.common.TakhinException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Produce through the one shared, idempotent {@link KafkaProducer} (acks=all by default): a 200
 * means Kafka acknowledged every record. Records are placed exactly as the embedded store places
 * them (explicit partition, else murmur2 of the key, else one partition per request round-robin),
 * so a key lands where a Kafka producer would put it. Thread-safe (KafkaProducer is).
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
    private final Map<String, AtomicInteger> stickyCursor = new ConcurrentHashMap<>();

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
        int stickyPartition = Math.floorMod(
                stickyCursor.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement(), partitionCount);
        int[] partitions = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            partitions[i] = place(records.get(i), topic, partitionCount, stickyPartition);
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

    private static int place(ProduceRecord record, String topic, int partitionCount, int stickyPartition) {
        if (record.partition() != ProduceRecord.ANY_PARTITION) {
            if (record.partition() < 0 || record.partition() >= partitionCount) {
                throw TakhinException.partitionNotFound(topic, record.partition(), partitionCount);
            }
            return record.partition();
        }
        byte[] key = record.key();
        return key != null ? Murmur2.partitionForKey(key, partitionCount) : stickyPartition;
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
