package io.takhin.coordinator;

/**
 * The states of a consumer group. There is no "preparing rebalance" state: members are server-side
 * sessions, so a rebalance is computed and published in one step on the coordinator thread.
 */
public enum GroupState {
    /**
     * No members; the group is known because it has committed offsets. Accepts: join (goes to
     * {@link #STABLE}), describe and list, topic deletion (which drops the topic's committed offsets
     * and goes to {@link #DEAD} when none are left). Commits are rejected: no member owns anything.
     */
    EMPTY,
    /**
     * At least one member, and every member's published assignment is that of the current
     * generation. Accepts: join, leave, manual assignment, commit, topic creation and deletion (each
     * except commit rebalances in place), describe and list. Goes to {@link #EMPTY} when the last
     * member leaves and the group has committed offsets, else to {@link #DEAD}.
     */
    STABLE,
    /**
     * No members and no committed offsets: the group has been removed and is no longer listed.
     * Terminal; accepts nothing. A later join with the same id creates a new group, at generation 0.
     */
    DEAD;

    /** The lower-case name shown by the HTTP API. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
