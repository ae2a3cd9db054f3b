package io.takhin.backend.embedded;

import io.takhin.backend.ProduceRecord;
import io.takhin.backend.Producer;
import io.takhin.backend.RecordMetadata;
import io.takhin.backend.RecordPlacement;
import io.takhin.common.TakhinException;
import io.takhin.storage.log.AppendResult;
import io.takhin.storage.log.LogManager;
import io.takhin.storage.log.Topic;
import io.takhin.storage.record.AppendRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/** Places records on partitions and appends them. Thread-safe. See the package doc for placement. */
final class EmbeddedProducer implements Producer {
    private final LogManager logs;
    private final RecordPlacement placement = new RecordPlacement();

    EmbeddedProducer(LogManager logs) {
        this.logs = logs;
    }

    @Override
    public List<RecordMetadata> produce(String topicName, List<ProduceRecord> records) {
        if (records.isEmpty()) {
            throw TakhinException.invalidArgument("records must not be empty");
        }
        Topic topic = logs.topic(topicName).orElseThrow(() -> TakhinException.topicNotFound(topicName));
        int partitionCount = topic.partitionCount();
        int stickyPartition = placement.stickyPartition(topicName, partitionCount);

        // Group by partition, remembering each record's index within its partition's batch (E2).
        int[] partitionOf = new int[records.size()];
        int[] indexInBatch = new int[records.size()];
        List<List<AppendRecord>> batches = new ArrayList<>(partitionCount);
        for (int p = 0; p < partitionCount; p++) {
            batches.add(null);
        }
        for (int i = 0; i < records.size(); i++) {
            ProduceRecord record = records.get(i);
            int partition = RecordPlacement.partition(record, topicName, partitionCount, stickyPartition);
            List<AppendRecord> batch = batches.get(partition);
            if (batch == null) {
                batch = new ArrayList<>();
                batches.set(partition, batch);
            }
            partitionOf[i] = partition;
            indexInBatch[i] = batch.size();
            batch.add(toAppendRecord(record));
        }

        AppendResult[] results = appendAll(topic, batches);
        List<RecordMetadata> metadata = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            AppendResult result = results[partitionOf[i]];
            metadata.add(
                    new RecordMetadata(partitionOf[i], result.baseOffset() + indexInBatch[i], result.timestampMs()));
        }
        return metadata;
    }

    private static AppendRecord toAppendRecord(ProduceRecord record) {
        List<AppendRecord.Header> headers = new ArrayList<>(record.headers().size());
        for (ProduceRecord.Header header : record.headers()) {
            headers.add(new AppendRecord.Header(header.key(), header.value()));
        }
        return new AppendRecord(record.key(), record.value(), headers);
    }

    /**
     * Appends each non-empty batch to its partition; several partitions in parallel on virtual
     * threads, since each append waits for its own fsync.
     */
    private static AppendResult[] appendAll(Topic topic, List<List<AppendRecord>> batches) {
        AppendResult[] results = new AppendResult[batches.size()];
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < batches.size(); p++) {
            if (batches.get(p) != null) {
                partitions.add(p);
            }
        }
        if (partitions.size() == 1) {
            int p = partitions.get(0);
            results[p] = topic.partition(p).append(batches.get(p));
            return results;
        }
        List<Future<AppendResult>> futures = new ArrayList<>(partitions.size());
        for (int p : partitions) {
            List<AppendRecord> batch = batches.get(p);
            FutureTask<AppendResult> task =
                    new FutureTask<>(() -> topic.partition(p).append(batch));
            Thread.ofVirtual().name("produce-" + topic.name() + "-" + p).start(task);
            futures.add(task);
        }
        RuntimeException failure = null;
        for (int i = 0; i < partitions.size(); i++) {
            try {
                results[partitions.get(i)] = futures.get(i).get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException runtime
                            ? runtime
                            : new IllegalStateException("append failed", e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for appends", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }
}
