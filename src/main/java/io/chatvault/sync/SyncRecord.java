package io.chatvault.sync;

import java.time.Instant;

import io.chatvault.message.SourceRecord;

/**
 * A record read by a sync run, with what the window's figures need.
 *
 * @param record the parsed or quarantined record
 * @param custodian the custodian it is archived for
 * @param account the group account it came through (its key), or null when none (dropped
 * exports)
 * @param capturedAt when ChatVault got hold of it: stamped by the capture server for the
 * inbox, the poll's instant for polls, the file's time for dropped exports
 * @param inboxId the inbox delivery it came in, or 0
 */
record SyncRecord(SourceRecord record, String custodian, String account, Instant capturedAt, long inboxId) {
}
