package io.takhin.coordinator;

/** A group as listed by {@link GroupCoordinator#listGroups()}. Immutable. */
public record GroupSummary(String groupId, GroupState state, int memberCount) {}
