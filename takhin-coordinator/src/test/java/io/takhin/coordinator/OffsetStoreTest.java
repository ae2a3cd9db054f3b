package io.takhin.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.takhin.common.ManualTime;
import io.takhin.common.StorageException;
import io.takhin.common.TopicPartition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetStoreTest {
    @TempDir
    Path dir;

    private final OffsetLog.Opener opener = PartitionOffsetLog.opener(new ManualTime());

    @Test
    void append_closeAndReopen_offsetsIntact() {
        try (OffsetStore store = OffsetStore.open(dir, opener, 1000)) {
            store.append(List.of(commit("g", "a", 0, 10), commit("g", "a", 1, 20)));
            store.append(List.of(commit("g", "a", 0, 11), commit("h", "b", 0, 5)));
        }

        try (OffsetStore store = OffsetStore.open(dir, opener, 1000)) {
            assertThat(offsets(store))
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of(key("g", "a", 0), 11L, key("g", "a", 1), 20L, key("h", "b", 0), 5L));
            assertThat(store.recordsInLog()).isEqualTo(4);
        }
    }

    @Test
    void append_tombstone_offsetGoneAfterReopen() {
        try (OffsetStore store = OffsetStore.open(dir, opener, 1000)) {
            store.append(List.of(commit("g", "a", 0, 10), commit("g", "b", 0, 3)));
            store.append(List.of(OffsetRecord.tombstone(key("g", "a", 0))));
            assertThat(offsets(store)).containsOnlyKeys(key("g", "b", 0));
        }

        try (OffsetStore store = OffsetStore.open(dir, opener, 1000)) {
            assertThat(offsets(store)).containsExactlyEntriesOf(Map.of(key("g", "b", 0), 3L));
        }
    }

    @Test
    void maybeCompact_pastThreshold_snapshotReplacesLogAndKeepsOffsets() throws IOException {
        try (OffsetStore store = OffsetStore.open(dir, opener, 5)) {
            for (int i = 0; i < 6; i++) {
                store.append(List.of(commit("g", "a", i % 3, 100 + i)));
            }
            store.maybeCompact();

            assertThat(store.generation()).isEqualTo(1);
            assertThat(store.recordsInLog()).isZero();
            store.append(List.of(commit("g", "b", 0, 7)));
        }

        assertThat(entries()).containsExactly("log-00000000000000000001", "snapshot-00000000000000000001.snapshot");
        try (OffsetStore store = OffsetStore.open(dir, opener, 5)) {
            assertThat(store.generation()).isEqualTo(1);
            assertThat(offsets(store))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            key("g", "a", 0), 103L,
                            key("g", "a", 1), 104L,
                            key("g", "a", 2), 105L,
                            key("g", "b", 0), 7L));
        }
    }

    @Test
    void maybeCompact_belowThreshold_doesNothing() throws IOException {
        try (OffsetStore store = OffsetStore.open(dir, opener, 5)) {
            store.append(List.of(commit("g", "a", 0, 1)));
            store.maybeCompact();
            assertThat(store.generation()).isZero();
        }
        assertThat(entries()).containsExactly("log-00000000000000000000");
    }

    @Test
    void open_tornSnapshotTempFile_isIgnoredAndDeleted() throws IOException {
        try (OffsetStore store = OffsetStore.open(dir, opener, 1000)) {
            store.append(List.of(commit("g", "a", 0, 42)));
        }
        // A compaction that crashed while writing: half a snapshot under the temporary name.
        SortedMap<OffsetKey, CommittedOffset> other =
                new TreeMap<>(Map.of(key("g", "a", 0), new CommittedOffset(1, 0)));
        ByteBuffer whole = OffsetSnapshot.encode(1, other);
        Files.write(OffsetSnapshot.tempFile(dir, 1), java.util.Arrays.copyOf(whole.array(), whole.limit() / 2));

        try (OffsetStore store = OffsetStore.open(dir, opener, 1000)) {
            assertThat(store.generation()).isZero();
            assertThat(offsets(store)).containsExactlyEntriesOf(Map.of(key("g", "a", 0), 42L));
        }
        assertThat(entries()).containsExactly("log-00000000000000000000");
    }

    @Test
    void open_crashAfterSnapshotRename_usesSnapshotAndDeletesOldLog() throws IOException {
        SortedMap<OffsetKey, CommittedOffset> state;
        try (OffsetStore store = OffsetStore.open(dir, opener, 1000)) {
            store.append(List.of(commit("g", "a", 0, 42), commit("g", "a", 1, 43)));
            state = new TreeMap<>(store.offsets());
        }
        // Steps 1 and 2 of a compaction, then a crash before the new log exists.
        OffsetSnapshot.writeTemp(dir, 1, state);
        OffsetSnapshot.commit(dir, 1);

        try (OffsetStore store = OffsetStore.open(dir, opener, 1000)) {
            assertThat(store.generation()).isEqualTo(1);
            assertThat(offsets(store))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(key("g", "a", 0), 42L, key("g", "a", 1), 43L));
        }
        assertThat(entries()).containsExactly("log-00000000000000000001", "snapshot-00000000000000000001.snapshot");
    }

    @Test
    void open_corruptSnapshot_refusesToStart() throws IOException {
        try (OffsetStore store = OffsetStore.open(dir, opener, 1)) {
            store.append(List.of(commit("g", "a", 0, 42), commit("g", "a", 1, 43)));
            store.maybeCompact();
        }
        Path snapshot = OffsetSnapshot.file(dir, 1);
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(snapshot, bytes);

        assertThatThrownBy(() -> OffsetStore.open(dir, opener, 1))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("snapshot-00000000000000000001.snapshot is corrupt");
    }

    @Test
    void maybeCompact_newLogCannotOpen_refusesAppendsAndRecoversOnReopen() {
        TestOffsetLogs logs = new TestOffsetLogs();
        try (OffsetStore store = OffsetStore.open(dir, logs, 1)) {
            store.append(List.of(commit("g", "a", 0, 42), commit("g", "a", 1, 43)));
            logs.failOpens = true;
            store.maybeCompact();

            assertThatThrownBy(() -> store.append(List.of(commit("g", "a", 0, 44))))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("restart");
        }
        logs.failOpens = false;

        try (OffsetStore store = OffsetStore.open(dir, logs, 1)) {
            assertThat(store.generation()).isEqualTo(1);
            assertThat(offsets(store))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(key("g", "a", 0), 42L, key("g", "a", 1), 43L));
        }
    }

    @Test
    void snapshot_encodeDecode_roundTrips() {
        SortedMap<OffsetKey, CommittedOffset> offsets = new TreeMap<>();
        offsets.put(key("grüppe", "a", 0), new CommittedOffset(0, 1));
        offsets.put(key("g", "orders", 7), new CommittedOffset(Long.MAX_VALUE, -1));

        ByteBuffer encoded = OffsetSnapshot.encode(9, offsets);

        assertThat(OffsetSnapshot.decode(encoded, 9)).isEqualTo(offsets);
        assertThatThrownBy(() -> OffsetSnapshot.decode(OffsetSnapshot.encode(9, offsets), 8))
                .hasMessageContaining("generation 9");
    }

    @Test
    void codec_encodeDecode_roundTrips() {
        OffsetRecord commit = commit("g/ü", "orders", 3, 12);
        OffsetRecord tombstone = OffsetRecord.tombstone(key("g", "orders", 4));

        assertThat(decode(commit)).isEqualTo(commit);
        assertThat(decode(tombstone)).isEqualTo(tombstone);
    }

    private static OffsetRecord decode(OffsetRecord record) {
        byte[] value = OffsetRecordCodec.value(record.value());
        return OffsetRecordCodec.decode(
                ByteBuffer.wrap(OffsetRecordCodec.key(record.key())), value == null ? null : ByteBuffer.wrap(value));
    }

    private List<String> entries() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Map<OffsetKey, Long> offsets(OffsetStore store) {
        Map<OffsetKey, Long> offsets = new TreeMap<>();
        store.offsets().forEach((key, value) -> offsets.put(key, value.offset()));
        return offsets;
    }

    private static OffsetRecord commit(String group, String topic, int partition, long offset) {
        return OffsetRecord.commit(key(group, topic, partition), offset, 1_700_000_000_000L);
    }

    private static OffsetKey key(String group, String topic, int partition) {
        return new OffsetKey(group, new TopicPartition(topic, partition));
    }
}
