package io.chatvault.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.chatvault.custodian.CustodianGroup;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox step's slices: named by place alone, and together every delivery captured up
 * to the window's end, each in exactly one slice.
 */
class InboxSlicesTests {

	static final Instant END = Instant.parse("2024-03-12T12:00:00Z");

	static final CustodianGroup GROUP = new CustodianGroup("desk", Duration.ofHours(6), List.of());

	static final SyncWindow WINDOW = new SyncWindow(GROUP, END, null, 1);

	@Test
	void theCutsOfTheInboxBoundContiguousSlicesEndingAtTheWindowsEnd() {
		Instant first = END.minusSeconds(3600);
		Instant second = END.minusSeconds(60);
		Map<String, ExecutionContext> slices = new InboxSlices(new CutInbox(List.of(first, second)), WINDOW)
			.partition(3);

		assertThat(slices.keySet()).containsExactly("slice0", "slice1", "slice2");
		assertThat(bounds(slices.get("slice0"))).containsExactly(null, first);
		assertThat(bounds(slices.get("slice1"))).containsExactly(first, second);
		assertThat(bounds(slices.get("slice2"))).containsExactly(second, END);
	}

	@Test
	void withoutAnInboxTheFirstSliceTakesTheWholeWindowAndTheOthersNothing() {
		Map<String, ExecutionContext> slices = new InboxSlices(null, WINDOW).partition(2);

		assertThat(bounds(slices.get("slice0"))).containsExactly(null, END);
		assertThat(bounds(slices.get("slice1"))).containsExactly(END, END);
	}

	@Test
	void outsideAPartitionAReaderTakesTheWholeWindow() {
		ExecutionContext none = new ExecutionContext();

		assertThat(InboxSlices.after(none)).isNull();
		assertThat(InboxSlices.until(none, END)).isEqualTo(END);
	}

	private static List<Instant> bounds(ExecutionContext slice) {
		List<Instant> bounds = new ArrayList<>();
		bounds.add(InboxSlices.after(slice));
		bounds.add(InboxSlices.until(slice, END.plusSeconds(1)));
		return bounds;
	}

	private record CutInbox(List<Instant> cuts) implements Inbox {

		@Override
		public List<InboxDelivery> waiting(CustodianGroup group, Instant capturedAfter, Instant capturedUntil,
				InboxDelivery after, int limit) {
			return List.of();
		}

		@Override
		public List<Instant> cuts(CustodianGroup group, Instant capturedUntil, int parts) {
			assertThat(parts).isEqualTo(this.cuts.size() + 1);
			return this.cuts;
		}

		@Override
		public void drained(Collection<Long> ids, long jobExecutionId) {
		}

	}

}
