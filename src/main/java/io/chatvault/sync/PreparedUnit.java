package io.chatvault.sync;

import java.util.List;

import io.chatvault.vault.ArchiveRequest;

/**
 * A unit whose parsed records are prepared for the vault.
 *
 * @param unit the unit
 * @param requests for each record of the unit, in order, its archive request, or null for
 * a quarantined record
 */
record PreparedUnit(SyncUnit unit, List<ArchiveRequest> requests) {
}
