package io.takhin.backend.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The group's assignor (K6), run by whichever member Kafka makes the leader. Like the embedded
 * coordinator's: members that chose partitions by manual assignment get exactly those (the first
 * claimant keeps a contested partition), and the rest are shared by the balanced members, balanced
 * and sticky (each keeps what it owned, up to its fair share). Partition counts come from the
 * leader's {@link TopicDirectory} when it knows them, else from Kafka's metadata.
 *
 * <p>A member's subscription carries, as user data, its manual claims (if any) and what it owned.
 * Eager protocol: one round per rebalance. Kafka instantiates this class per consumer and passes
 * the consumer's configuration to {@link #configure}, which carries the member's {@link
 * MemberContext} under {@link #CONTEXT_CONFIG}.
 */
public final class TakhinAssignor implements ConsumerPartitionAssignor, Configurable {
    static final String CONTEXT_CONFIG = "takhin.member.context";
    /** Topic, then partition: the order partitions are assigned and shown in. */
    static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private @Nullable MemberContext context;

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(CONTEXT_CONFIG) instanceof MemberContext member) {
            context = member;
        }
    }

    @Override
    public String name() {
        return "takhin";
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.EAGER);
    }

    @Override
    public @Nullable ByteBuffer subscriptionUserData(Set<String> topics) {
        MemberContext member = context;
        if (member == null) {
            return null;
        }
        return encode(member.manual(), member.lastAssigned());
    }

    @Override
    public void onAssignment(Assignment assignment, @Nullable ConsumerGroupMetadata metadata) {
        MemberContext member = context;
        if (member != null) {
            member.lastAssigned(new HashSet<>(assignment.partitions()));
        }
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> subscriptions = new TreeMap<>(groupSubscription.groupSubscription());
        Map<String, Claims> claims = new TreeMap<>();
        subscriptions.forEach((member, subscription) -> claims.put(member, decode(subscription.userData())));
        Map<String, Integer> partitionCounts = new HashMap<>();
        for (Subscription subscription : subscriptions.values()) {
            for (String topic : subscription.topics()) {
                partitionCounts.computeIfAbsent(topic, t -> partitionCount(t, metadata));
            }
        }
        Map<String, List<TopicPartition>> result = assign(subscriptions, claims, partitionCounts);
        Map<String, Assignment> assignments = new HashMap<>();
        result.forEach((member, partitions) -> assignments.put(member, new Assignment(partitions)));
        return new GroupAssignment(assignments);
    }

    private int partitionCount(String topic, Cluster metadata) {
        MemberContext member = context;
        OptionalInt known =
                member == null ? OptionalInt.empty() : member.topics().partitions(topic);
        if (known.isPresent()) {
            return known.getAsInt();
        }
        Integer fromMetadata = metadata.partitionCountForTopic(topic);
        return fromMetadata == null ? 0 : fromMetadata;
    }

    /** A member's user data: its manual claims (null: balanced) and what it owned. */
    record Claims(@Nullable Set<TopicPartition> manual, Set<TopicPartition> owned) {}

    /** The assignment proper; a pure function of its inputs, so it is tested directly. */
    static Map<String, List<TopicPartition>> assign(
            Map<String, Subscription> subscriptions, Map<String, Claims> claims, Map<String, Integer> partitionCounts) {
        Map<String, List<TopicPartition>> result = new TreeMap<>();
        subscriptions.keySet().forEach(member -> result.put(member, new ArrayList<>()));
        Set<TopicPartition> taken = new HashSet<>();

        // Manual members: their claims, previous holders first, then in member order.
        List<String> manualMembers = subscriptions.keySet().stream()
                .filter(member -> claims.get(member).manual() != null)
                .toList();
        for (boolean previousHoldersOnly : new boolean[] {true, false}) {
            for (String member : manualMembers) {
                Claims claim = claims.get(member);
                for (TopicPartition partition : sorted(claim.manual())) {
                    boolean eligible = !previousHoldersOnly || claim.owned().contains(partition);
                    if (eligible && exists(partition, partitionCounts) && taken.add(partition)) {
                        result.get(member).add(partition);
                    }
                }
            }
        }

        // Balanced members share the rest of the partitions of the topics they subscribe to.
        List<String> balanced = subscriptions.keySet().stream()
                .filter(member -> claims.get(member).manual() == null)
                .toList();
        if (balanced.isEmpty()) {
            return result;
        }
        Set<TopicPartition> available = new TreeSet<>(ORDER);
        for (String member : balanced) {
            for (String topic : subscriptions.get(member).topics()) {
                for (int p = 0; p < partitionCounts.getOrDefault(topic, 0); p++) {
                    TopicPartition partition = new TopicPartition(topic, p);
                    if (!taken.contains(partition)) {
                        available.add(partition);
                    }
                }
            }
        }
        int base = available.size() / balanced.size();
        int atCeiling = available.size() % balanced.size();
        // Sticky: each keeps what it owned, up to its share; those that owned most keep the extra one.
        List<String> byOwned = new ArrayList<>(balanced);
        byOwned.sort(Comparator.comparingInt(
                        (String member) -> -claims.get(member).owned().size())
                .thenComparing(member -> member));
        for (String member : byOwned) {
            int limit = atCeiling > 0 ? base + 1 : base;
            Set<String> topics = new HashSet<>(subscriptions.get(member).topics());
            for (TopicPartition partition : sorted(claims.get(member).owned())) {
                if (result.get(member).size() >= limit) {
                    break;
                }
                if (topics.contains(partition.topic()) && available.contains(partition) && taken.add(partition)) {
                    result.get(member).add(partition);
                }
            }
            if (result.get(member).size() == base + 1) {
                atCeiling--;
            }
        }
        // The rest go to the least loaded member that subscribes to their topic.
        for (TopicPartition partition : available) {
            if (taken.contains(partition)) {
                continue;
            }
            String least = null;
            for (String member : balanced) {
                if (subscriptions.get(member).topics().contains(partition.topic())
                        && (least == null
                                || result.get(member).size() < result.get(least).size())) {
                    least = member;
                }
            }
            if (least != null) {
                result.get(least).add(partition);
                taken.add(partition);
            }
        }
        result.values().forEach(partitions -> partitions.sort(ORDER));
        return result;
    }

    private static boolean exists(TopicPartition partition, Map<String, Integer> partitionCounts) {
        return partition.partition() < partitionCounts.getOrDefault(partition.topic(), 0);
    }

    private static List<TopicPartition> sorted(@Nullable Set<TopicPartition> partitions) {
        if (partitions == null) {
            return List.of();
        }
        List<TopicPartition> list = new ArrayList<>(partitions);
        list.sort(ORDER);
        return list;
    }

    // ---- user data: "M" or "B" (manual or balanced), then lines "m topic partition" / "o topic partition"

    static ByteBuffer encode(@Nullable Set<TopicPartition> manual, Set<TopicPartition> owned) {
        StringBuilder text = new StringBuilder(manual == null ? "B\n" : "M\n");
        if (manual != null) {
            for (TopicPartition partition : sorted(manual)) {
                text.append("m ")
                        .append(partition.topic())
                        .append(' ')
                        .append(partition.partition())
                        .append('\n');
            }
        }
        for (TopicPartition partition : sorted(owned)) {
            text.append("o ")
                    .append(partition.topic())
                    .append(' ')
                    .append(partition.partition())
                    .append('\n');
        }
        return ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes user data; anything unreadable (another assignor's, a foreign client's) counts as balanced. */
    static Claims decode(@Nullable ByteBuffer userData) {
        if (userData == null || !userData.hasRemaining()) {
            return new Claims(null, Set.of());
        }
        ByteBuffer copy = userData.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        Set<TopicPartition> manual = lines[0].equals("M") ? new HashSet<>() : null;
        Set<TopicPartition> owned = new HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split(" ");
            if (fields.length != 3) {
                continue;
            }
            try {
                TopicPartition partition = new TopicPartition(fields[1], Integer.parseInt(fields[2]));
                if (fields[0].equals("m") && manual != null) {
                    manual.add(partition);
                } else if (fields[0].equals("o")) {
                    owned.add(partition);
                }
            } catch (NumberFormatException e) {
                // skip a malformed line
            }
        }
        return new Claims(manual, owned);
    }
}
