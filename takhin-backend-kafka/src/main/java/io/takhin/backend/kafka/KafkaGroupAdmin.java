package io.takhin.backend.kafka;

import io.takhin.backend.Assignment;
import io.takhin.backend.GroupAdmin;
import io.takhin.common.ErrorCode;
import io.takhin.common.TakhinException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Consumer groups from Kafka's Admin client: members (shown by their HTTP consumer id, which is the
 * Kafka client id), committed offsets, and lag against the partitions' latest offsets. Kafka's group
 * states are shown in snake case ({@code stable}, {@code preparing_rebalance}, ...). Thread-safe.
 */
final class KafkaGroupAdmin implements GroupAdmin {
    private final Admin admin;
    private final KafkaConsumers consumers;
    private final Availability availability;
    private final String cluster;
    private final long timeoutMs;

    KafkaGroupAdmin(Admin admin, KafkaConsumers consumers, Availability availability, String cluster, long timeoutMs) {
        this.admin = admin;
        this.consumers = consumers;
        this.availability = availability;
        this.cluster = cluster;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public List<GroupSummary> list() {
        availability.require("listing consumer groups");
        Collection<GroupListing> listings = KafkaErrors.await(
                admin.listGroups(ListGroupsOptions.forConsumerGroups()).all(),
                timeoutMs,
                "listing consumer groups",
                cluster);
        List<String> ids = listings.stream().map(GroupListing::groupId).sorted().toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, ConsumerGroupDescription> described = KafkaErrors.await(
                admin.describeConsumerGroups(ids).all(), timeoutMs, "describing consumer groups", cluster);
        List<GroupSummary> result = new ArrayList<>();
        for (String id : ids) {
            ConsumerGroupDescription group = described.get(id);
            if (group != null && group.groupState() != GroupState.DEAD) {
                result.add(new GroupSummary(
                        id, wire(group.groupState()), group.members().size()));
            }
        }
        return result;
    }

    @Override
    public Optional<GroupDescription> describe(String groupId) {
        availability.require("describing consumer group '" + groupId + "'");
        ConsumerGroupDescription group;
        try {
            group = KafkaErrors.await(
                    admin.describeConsumerGroups(List.of(groupId))
                            .describedGroups()
                            .get(groupId),
                    timeoutMs,
                    "describing consumer group '" + groupId + "'",
                    cluster);
        } catch (TakhinException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty();
            }
            throw e;
        } catch (GroupIdNotFoundException e) {
            return Optional.empty();
        }
        Map<TopicPartition, OffsetAndMetadata> committed = KafkaErrors.await(
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
                timeoutMs,
                "reading the committed offsets of group '" + groupId + "'",
                cluster);
        if (group.groupState() == GroupState.DEAD || (group.members().isEmpty() && committed.isEmpty())) {
            return Optional.empty();
        }
        List<Member> members = new ArrayList<>();
        for (MemberDescription member : group.members()) {
            Set<io.takhin.common.TopicPartition> owned = new HashSet<>();
            for (TopicPartition partition : member.assignment().topicPartitions()) {
                owned.add(new io.takhin.common.TopicPartition(partition.topic(), partition.partition()));
            }
            String host = consumers.clientHost(member.clientId()).orElse(stripSlash(member.host()));
            members.add(new Member(member.clientId(), host, new Assignment(0, owned).byTopic()));
        }
        members.sort((a, b) -> a.consumerId().compareTo(b.consumerId()));
        return Optional.of(new GroupDescription(
                groupId, wire(group.groupState()), consumers.generation(groupId).orElse(0), members, lags(committed)));
    }

    private List<PartitionLag> lags(Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                latest.put(partition, OffsetSpec.latest());
            }
        });
        ListOffsetsResult ends = admin.listOffsets(latest);
        Map<TopicPartition, PartitionLag> sorted =
                new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                        ? Integer.compare(a.partition(), b.partition())
                        : a.topic().compareTo(b.topic()));
        for (TopicPartition partition : latest.keySet()) {
            long offset = committed.get(partition).offset();
            long end;
            try {
                end = KafkaErrors.await(ends.partitionResult(partition), timeoutMs, "reading offsets", cluster)
                        .offset();
            } catch (TakhinException e) {
                if (e.code() != ErrorCode.TOPIC_NOT_FOUND) {
                    throw e;
                }
                end = offset; // the topic is gone: no lag to show
            }
            sorted.put(partition, new PartitionLag(partition.topic(), partition.partition(), offset, end));
        }
        return List.copyOf(sorted.values());
    }

    private static String wire(GroupState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static String stripSlash(String host) {
        return host.startsWith("/") ? host.substring(1) : host;
    }
}
