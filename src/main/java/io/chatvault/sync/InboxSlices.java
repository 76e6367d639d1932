package io.chatvault.sync;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Cuts a window's inbox deliveries by capture time into {@code gridSize} slices of about
 * as many deliveries each, one partition of the inbox step per slice, drained at once on
 * their own threads and transactions: while one slice's chunk waits on PostgreSQL,
 * another's bodies are mapped and its pack built. Together the slices hold every delivery
 * captured up to the window's end, also those that commit while the window runs.
 *
 * <p>
 * The partitions are named by their place alone ({@code slice0}, {@code slice1}, ...) and
 * the grid size is kept by the step on its first run, so a restarted window finds exactly
 * its first run's partitions again: those that completed are skipped, the others resume
 * on their first run's slice (what is left of it is what is not drained).
 */
class InboxSlices implements Partitioner {

	static final String AFTER = "capturedAfter";

	static final String UNTIL = "capturedUntil";

	private final Inbox inbox;

	private final SyncWindow window;

	InboxSlices(Inbox inbox, SyncWindow window) {
		this.inbox = inbox;
		this.window = window;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		int parts = Math.max(1, gridSize);
		List<Instant> cuts = (this.inbox != null) ? this.inbox.cuts(this.window.group(), this.window.windowEnd(), parts)
				: List.of();
		Map<String, ExecutionContext> slices = new LinkedHashMap<>();
		for (int i = 0; i < parts; i++) {
			ExecutionContext slice = new ExecutionContext();
			Instant after = (i == 0) ? null : cut(cuts, i - 1);
			Instant until = (i == parts - 1) ? this.window.windowEnd() : cut(cuts, i);
			slice.putString(AFTER, (after != null) ? after.toString() : "");
			slice.putString(UNTIL, until.toString());
			slices.put("slice" + i, slice);
		}
		return slices;
	}

	private Instant cut(List<Instant> cuts, int i) {
		// No cut (no inbox): every slice but the first is empty.
		return (i < cuts.size()) ? cuts.get(i) : this.window.windowEnd();
	}

	/** The slice's start in a partition's context: null for the first. */
	static Instant after(ExecutionContext slice) {
		String after = slice.getString(AFTER, "");
		return after.isEmpty() ? null : Instant.parse(after);
	}

	/** The slice's end in a partition's context; the window's end outside a partition. */
	static Instant until(ExecutionContext slice, Instant windowEnd) {
		String until = slice.getString(UNTIL, "");
		return until.isEmpty() ? windowEnd : Instant.parse(until);
	}

}
