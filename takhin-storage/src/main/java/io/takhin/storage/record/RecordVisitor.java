package io.takhin.storage.record;

/** Called once per record by {@link RecordBatches#forEach}. */
@FunctionalInterface
public interface RecordVisitor {
    /**
     * Visits one record. The view is only valid during this call.
     *
     * @return true to go on with the next record, false to stop; the record passed to the call that
     *     returns false counts as not consumed
     */
    boolean visit(RecordView record);
}
